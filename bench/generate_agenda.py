"""Generate N events over the home region for the agenda benchmark (``BENCH_EVENTS``).

Mix: 80 % one-off (a tenth all-day, some over several days), 20 % series (two thirds weekly
for 8–40 weeks, one third monthly for 6–12 months), of which a third have an EXDATE and a
fifth a moved date (EventChange). Starts spread from 30 days ago to 330 days ahead, between
9:00 and 20:00 Europe/Paris; 90 % published, 6 % pending, 2 % hidden, 2 % rejected; one or
two themes. Events go in with ``bulk_create`` (no signals), one-off occurrences likewise,
then each series is expanded by ``recurrence.sync_occurrences`` as an import would.
"""

import os
import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from bench.generate import STATUSES, ensure_themes

PARIS = ZoneInfo("Europe/Paris")
WORDS = ["Atelier réparation", "Marché paysan", "Conférence ESS", "Formation compta",
         "Repair café", "Ciné-débat", "Assemblée générale", "Visite de ferme",
         "Permanence juridique", "Forum emploi"]  # fmt: skip


def bench_events() -> int:
    return int(os.environ.get("BENCH_EVENTS", "10000"))


def region_communes() -> list[tuple]:
    from django.conf import settings

    from essaim.territories.models import Commune

    found = Commune.objects.filter(region_id=settings.ESSAIM_REGION, latitude__isnull=False)
    return list(found.values_list("code", "name", "latitude", "longitude"))


def generate(size: int, *, seed: int = 11) -> tuple[float, float]:
    """Insert ``size`` events; returns (seconds inserting, seconds expanding series)."""
    from essaim.agenda import recurrence
    from essaim.agenda.models import Event, EventChange, Occurrence

    rng = random.Random(seed)
    places, themes = region_communes(), [pk for pk, _ in ensure_themes()]
    now = timezone.now().astimezone(PARIS).replace(minute=0, second=0, microsecond=0)
    first = Event.objects.count()
    start_clock = time.perf_counter()
    with transaction.atomic():
        events = [event(first + i, rng, places, now) for i in range(size)]
        Event.objects.bulk_create(events, batch_size=1000)
        links = [Event.themes.through(event_id=e.pk, theme_id=t) for e in events
                 for t in rng.sample(themes, rng.choice((1, 1, 2)))]  # fmt: skip
        Event.themes.through.objects.bulk_create(links, batch_size=5000)
        one_offs = [
            Occurrence(event=e, start=e.start, end=e.end, recurrence_id=e.start,
                       event_status=e.event_status)
            for e in events if not e.rrule
        ]  # fmt: skip
        Occurrence.objects.bulk_create(one_offs, batch_size=5000)
        series = [e for e in events if e.rrule]
        changes = [moved(e, rng) for e in series if rng.random() < 0.2]
        EventChange.objects.bulk_create(changes, batch_size=1000)
    inserted = time.perf_counter() - start_clock
    start_clock = time.perf_counter()
    with transaction.atomic():
        for e in series:
            recurrence.sync_occurrences(e)
    return inserted, time.perf_counter() - start_clock


def event(n: int, rng: random.Random, places: list, now: datetime):
    from essaim.agenda.models import Event

    code, name, lat, lon = rng.choice(places)
    day = now + timedelta(days=rng.randint(-30, 330))
    start = day.replace(hour=rng.randint(9, 20)).astimezone(PARIS)
    status = rng.choice(STATUSES)
    fields = {"all_day": False, "rrule": "", "exdates": []}
    end = start + timedelta(hours=rng.choice((1, 2, 2, 3)))
    kind = rng.random()
    if kind < 0.2:
        fields.update(series(start, rng))
    elif kind < 0.28:  # all-day, one to three days
        start = start.replace(hour=0)
        # Aware + timedelta is wall-clock arithmetic: local midnight, even across DST.
        end = start + timedelta(days=rng.choice((1, 1, 2, 3)))
        fields["all_day"] = True
    return Event(
        title=f"{rng.choice(WORDS)} à {name}", slug=f"bench-evenement-{n}",
        summary="Une rencontre ouverte à toutes et à tous, sur inscription conseillée.",
        description="<p>Au programme : présentation, échanges, <strong>pot</strong>.</p>",
        commune_id=code, latitude=lat + rng.gauss(0, 0.01), longitude=lon + rng.gauss(0, 0.01),
        place_name="Salle des fêtes", address=f"{rng.randint(1, 80)} rue de la République",
        start=start, end=end, status="published" if status == "hidden" else status,
        is_hidden=status == "hidden", organiser_name=f"Association {n % 300}",
        published_at=now, **fields,
    )  # fmt: skip


def series(start: datetime, rng: random.Random) -> dict:
    if rng.random() < 2 / 3:
        count, step = rng.randint(8, 40), relativedelta(weeks=1)
        rule = f"FREQ=WEEKLY;COUNT={count}"
    else:
        count, step = rng.randint(6, 12), relativedelta(months=1)
        rule = f"FREQ=MONTHLY;COUNT={count}"
    exdates = []
    if rng.random() < 1 / 3:
        skipped = start.replace(tzinfo=None) + 2 * step
        exdates.append(skipped.strftime("%Y-%m-%dT%H:%M"))
    return {"rrule": rule, "exdates": exdates}


def moved(e, rng: random.Random):
    """The series' second date, one hour later (or cancelled, one time in four)."""
    from essaim.agenda.models import EventChange, EventStatus

    step = relativedelta(weeks=1) if "WEEKLY" in e.rrule else relativedelta(months=1)
    rid = (e.start.astimezone(PARIS).replace(tzinfo=None) + step).replace(tzinfo=PARIS)
    cancelled = rng.random() < 0.25
    shift = timedelta(hours=0 if cancelled else 1)
    return EventChange(
        event=e, recurrence_id=rid, start=rid + shift, end=rid + shift + (e.end - e.start),
        event_status=EventStatus.CANCELLED if cancelled else "",
    )  # fmt: skip
