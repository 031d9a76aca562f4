"""20 concurrent writers on one database: proposals, votes, supports, registrations.

Each writer is a thread with its own database connection (as each request of a
multi-worker server has), looping over four writes until the time is up:
- proposing an initiative (every fifth with a name another writer also uses: slug race);
- proposing an event (the same, for event slugs);
- voting for pending initiatives (collaborative validation: 10 approvals publish at once);
- supporting, or withdrawing the support of, a consultation proposal (four writers act
  for each supporter at once: the per-person maximum must hold);
- registering for, then confirming a seat of, one training of limited capacity.

``check()`` then reads the database back and lists every lost or double write: a
proposal that succeeded but is missing (or is there twice), a vote missing, an initiative
published twice, more supports than the maximum or than were given, more confirmed seats
than the capacity. "database is locked" and any
other exception are counted per kind.

``python -m bench concurrency`` runs it 60 s (bench_concurrency.py); the test
(tests/hardening/test_concurrency.py) runs ``python -m bench.concurrency --seconds 3``
on a file SQLite database and on PostgreSQL, and asserts on the JSON it prints.
"""

import argparse
import json
import os
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

WRITERS = 20
CAPACITY = 5
TARGETS = 40  # pending initiatives to vote on (10 approvals publish one)
PROPOSALS, MAX_SUPPORTS, WRITERS_PER_SUPPORTER = 6, 3, 4
SHARED_EVERY = 5  # every fifth proposal reuses a name another writer uses too
PREFIX = "Concurrence"
_errors_lock = threading.Lock()


@dataclass
class Report:
    seconds: float = 0.0
    writers: int = 0
    engine: str = ""
    done: Counter = field(default_factory=Counter)  # successful writes per kind
    refused: Counter = field(default_factory=Counter)  # refusals the service means
    errors: Counter = field(default_factory=Counter)  # exceptions per "kind: type"
    locked: int = 0  # "database is locked" among the errors
    problems: list[str] = field(default_factory=list)  # lost or double writes
    samples: list[str] = field(default_factory=list)  # first tracebacks, for debugging

    @property
    def throughput(self) -> float:
        return sum(self.done.values()) / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data.update(done=dict(self.done), refused=dict(self.refused), errors=dict(self.errors))
        data["throughput"] = round(self.throughput, 1)
        return data


@dataclass
class World:
    members: list
    targets: list[int]
    occurrence_id: int
    capacity: int
    proposals: list[int]


@dataclass
class Ledger:
    """What the writers did, as they saw it: compared with the database afterwards."""

    initiatives: list[int] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    votes: list[tuple[int, int]] = field(default_factory=list)  # (initiative, voter)
    registrations: list[tuple[str, str]] = field(default_factory=list)  # (token, state)
    supports: list[int] = field(default_factory=list)  # +1 given, -1 withdrawn
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, value) -> None:
        with self.lock:
            getattr(self, kind).append(value)


def prepare(*, writers: int = WRITERS, targets: int = TARGETS, capacity: int = CAPACITY) -> World:
    """Members who vote, a proposer, the pending initiatives, and one training."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from essaim.accounts.roles import Role
    from essaim.agenda.models import Event
    from essaim.initiatives import services as initiatives
    from essaim.initiatives.models import Initiative
    from essaim.moderation.models import Status

    users = get_user_model().objects
    group, _ = Group.objects.get_or_create(name=Role.MEMBER)
    members = []
    for number in range(writers):
        member, _ = users.get_or_create(email=f"membre{number}@concurrence.example.org")
        member.groups.add(group)
        members.append(member)
    proposer, _ = users.get_or_create(email="proposer@concurrence.example.org")
    pending = []
    for number in range(targets):
        initiative = Initiative(name=f"{PREFIX} à valider {number}", summary="À valider.")
        pending.append(initiatives.propose_initiative(initiative=initiative, themes=[],
                                                      by=proposer).pk)  # fmt: skip
    start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    training = Event.objects.create(
        title=f"{PREFIX} formation", slug=f"concurrence-formation-{time.time_ns()}",
        summary="Formation.", start=start, end=start + timedelta(hours=3), capacity=capacity,
        registration_mode="builtin", status=Status.PUBLISHED, published_at=timezone.now(),
    )  # fmt: skip
    Initiative.objects.filter(pk__in=pending).update(status=Status.PENDING)
    return World(members, pending, training.occurrences.get().pk, capacity,
                 _consultation(members))  # fmt: skip


def _consultation(members) -> list[int]:
    """A consultation in its supports phase, with PROPOSALS public proposals; members get
    the verified address that participation asks for."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from essaim.consultations.models import PHASE_STARTS, Consultation, Phase, Proposal
    from essaim.moderation.models import Status

    for member in members:
        verified = {"verified": True, "primary": True}
        EmailAddress.objects.get_or_create(user=member, email=member.email, defaults=verified)
    now = timezone.now()
    current = [phase for phase, _name in PHASE_STARTS].index(Phase.SUPPORTS)
    dates = {name: now + timedelta(days=7 * (i - current) - (1 if i <= current else 0))
             for i, (_phase, name) in enumerate(PHASE_STARTS)}  # fmt: skip
    consultation = Consultation.objects.create(
        title=f"{PREFIX} consultation", slug=f"concurrence-{time.time_ns()}",
        organiser_name="Concurrence", published=True, max_supports=MAX_SUPPORTS, **dates,
    )  # fmt: skip
    return [Proposal.objects.create(consultation=consultation, title=f"{PREFIX} proposition {n}",
                                    body="À soutenir.", status=Status.PUBLISHED,
                                    published_at=now).pk
            for n in range(PROPOSALS)]  # fmt: skip


def hammer(*, seconds: float, writers: int = WRITERS, world: World | None = None) -> Report:
    """Run ``writers`` threads for ``seconds``, then check the database."""
    from django.db import connection

    world = world or prepare(writers=writers)
    report = Report(writers=writers, engine=connection.vendor)
    ledger = Ledger()
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    threads = [threading.Thread(target=_writer, args=(n, world, ledger, report, deadline))
               for n in range(writers)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = time.monotonic() - started
    report.problems = check(world, ledger)
    return report


def _writer(number: int, world: World, ledger: Ledger, report: Report, deadline: float) -> None:
    from django.db import connection

    steps = [_propose_initiative, _propose_event, _vote, _support, _register]
    round_ = 0
    try:
        while time.monotonic() < deadline:
            step = steps[(number + round_) % len(steps)]
            kind = step.__name__.lstrip("_")
            try:
                outcome = step(number, round_, world, ledger)
            except Exception as exc:  # noqa: BLE001 (counted and reported: that is the point)
                _count_error(report, kind, exc)
            else:
                with ledger.lock:
                    (report.done if outcome == "done" else report.refused)[kind] += 1
            round_ += 1
    finally:
        connection.close()


def _count_error(report: Report, kind: str, exc: Exception) -> None:
    with _errors_lock:
        report.errors[f"{kind}: {type(exc).__name__}"] += 1
        if "locked" in str(exc):
            report.locked += 1
        if len(report.samples) < 5:
            report.samples.append(traceback.format_exc(limit=6))


def _name(number: int, round_: int) -> str:
    if round_ % SHARED_EVERY == 0:
        return f"{PREFIX} même nom {round_}"  # other writers use it in the same round
    return f"{PREFIX} {number}-{round_}"


def _propose_initiative(number: int, round_: int, world: World, ledger: Ledger) -> str:
    from essaim.initiatives import services
    from essaim.initiatives.models import Initiative

    initiative = Initiative(name=_name(number, round_), summary="Proposée en même temps.")
    services.propose_initiative(initiative=initiative, themes=[], by=world.members[number],
                                email="")  # fmt: skip
    ledger.add("initiatives", initiative.pk)
    return "done"


def _propose_event(number: int, round_: int, world: World, ledger: Ledger) -> str:
    from django.utils import timezone

    from essaim.agenda import services

    start = (timezone.now() + timedelta(days=20)).replace(microsecond=0)
    event = services.propose_event(
        data={"title": _name(number, round_), "summary": "Proposé en même temps.",
              "start": start, "end": start + timedelta(hours=2)},
        author=None, email=f"w{number}@concurrence.example.org",
    )  # fmt: skip
    ledger.add("events", event.pk)
    return "done"


def _vote(number: int, round_: int, world: World, ledger: Ledger) -> str:
    from essaim.initiatives import services
    from essaim.initiatives.models import Initiative

    voter = world.members[number]
    # Each writer walks the targets in its own order; one vote per round.
    for target in world.targets[number % 3 :] + world.targets[: number % 3]:
        initiative = Initiative.objects.get(pk=target)
        if initiative.votes.filter(voter=voter).exists() or not services.can_vote(
            voter, initiative
        ):
            continue
        try:
            services.cast_vote(initiative=initiative, voter=voter, approve=True)
        except services.VoteNotAllowed:
            return "refused"  # published meanwhile by the others' votes
        ledger.add("votes", (target, voter.pk))
        return "done"
    return "refused"


def _support(number: int, round_: int, world: World, ledger: Ledger) -> str:
    """Supporters are shared by WRITERS_PER_SUPPORTER writers: they race for one
    person's maximum. Every third round withdraws instead."""
    from essaim.consultations import services
    from essaim.consultations.exceptions import ConsultationError
    from essaim.consultations.models import Proposal

    user = world.members[number // WRITERS_PER_SUPPORTER]
    proposal = Proposal.objects.select_related("consultation").get(
        pk=world.proposals[(number + round_) % len(world.proposals)]
    )
    if round_ % 3 == 2:
        if services.withdraw_support(proposal=proposal, user=user):
            ledger.add("supports", -1)
            return "done"
        return "refused"
    try:
        services.support(proposal=proposal, user=user)
    except ConsultationError:
        return "refused"  # already supported, or this person's maximum reached
    ledger.add("supports", +1)
    return "done"


def _register(number: int, round_: int, world: World, ledger: Ledger) -> str:
    from essaim.agenda import registrations
    from essaim.agenda.models import Occurrence

    occurrence = Occurrence.objects.select_related("event").get(pk=world.occurrence_id)
    email = f"w{number}-{round_}@concurrence.example.org"
    registration = registrations.register(occurrence=occurrence, name=f"W{number}",
                                          email=email, seats=1)  # fmt: skip
    confirmed = registrations.confirm(token=registration.token)
    ledger.add("registrations", (registration.token, confirmed.state))
    return "done"


def check(world: World, ledger: Ledger) -> list[str]:
    """Every lost or double write, in words; empty when the database agrees with the ledger."""
    from django.contrib.contenttypes.models import ContentType

    from essaim.agenda.models import Event, Registration
    from essaim.initiatives.models import Initiative, Vote
    from essaim.moderation.models import ModerationEvent, Status

    problems = []
    proposed = Initiative.objects.filter(name__startswith=PREFIX).exclude(pk__in=world.targets)
    problems += _same("initiatives", ledger.initiatives, proposed.values_list("pk", flat=True))
    events = Event.objects.filter(title__startswith=PREFIX).exclude(title=f"{PREFIX} formation")
    problems += _same("events", ledger.events, events.values_list("pk", flat=True))
    votes = Vote.objects.filter(initiative_id__in=world.targets)
    problems += _same("votes", ledger.votes, votes.values_list("initiative_id", "voter_id"))
    published = Counter(
        ModerationEvent.objects.filter(content_type=ContentType.objects.get_for_model(Initiative),
                                       object_id__in=world.targets,
                                       action=ModerationEvent.Action.PUBLISHED)
        .values_list("object_id", flat=True)
    )  # fmt: skip
    problems += [f"initiative {pk} published {n} times" for pk, n in published.items() if n > 1]
    for target in Initiative.objects.filter(pk__in=world.targets).exclude(status=Status.PUBLISHED):
        if target.votes.filter(approve=True).count() >= 10:
            problems.append(f"initiative {target.pk}: 10 approvals but still {target.status}")
    problems += _check_supports(world, ledger)
    rows = Registration.objects.filter(occurrence_id=world.occurrence_id)
    problems += _same("registrations", [t for t, _s in ledger.registrations],
                      rows.values_list("token", flat=True))  # fmt: skip
    states = dict(rows.values_list("token", "state"))
    problems += [f"registration {t[:8]}: confirm said {s}, database says {states.get(t)}"
                 for t, s in ledger.registrations if states.get(t) != s]  # fmt: skip
    seats = sum(rows.filter(state=Registration.State.CONFIRMED).values_list("seats", flat=True))
    if seats > world.capacity:
        problems.append(f"{seats} seats confirmed for a capacity of {world.capacity}")
    if len(ledger.registrations) >= world.capacity and seats < world.capacity:
        problems.append(f"only {seats} seats confirmed of {world.capacity}, with people waiting")
    return problems


def _check_supports(world: World, ledger: Ledger) -> list[str]:
    from django.db.models import Count

    from essaim.consultations.models import Support

    rows = Support.objects.filter(proposal_id__in=world.proposals)
    problems = []
    if rows.count() != sum(ledger.supports):
        problems.append(f"supports: {rows.count()} stored, {sum(ledger.supports)} given "
                        "less withdrawn")  # fmt: skip
    per_user = rows.values("user_id").annotate(n=Count("pk")).filter(n__gt=MAX_SUPPORTS)
    problems += [f"supporter {row['user_id']}: {row['n']} supports, maximum {MAX_SUPPORTS}"
                 for row in per_user]  # fmt: skip
    twice = rows.values("user_id", "proposal_id").annotate(n=Count("pk")).filter(n__gt=1)
    problems += [f"supporter {row['user_id']} supports {row['proposal_id']} twice" for row in twice]
    return problems


def _same(kind: str, seen: list, stored) -> list[str]:
    seen, stored = Counter(seen), Counter(stored)
    lost = list((seen - stored).elements())
    extra = list((stored - seen).elements())
    twice = [key for key, n in seen.items() if n > 1]
    problems = []
    if lost:
        problems.append(f"{kind}: {len(lost)} written but missing, e.g. {lost[:3]}")
    if extra or twice:
        problems.append(f"{kind}: {len(extra) + len(twice)} stored that nobody wrote or twice")
    return problems


def quiet_mail() -> None:
    """Proposals and registrations send mail: none of it is wanted on the console here."""
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


def main() -> None:
    """``python -m bench.concurrency --seconds 3``: prints the report as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--writers", type=int, default=WRITERS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    quiet_mail()
    report = hammer(seconds=args.seconds, writers=args.writers)
    print(json.dumps(report.as_dict()))


if __name__ == "__main__":
    main()
