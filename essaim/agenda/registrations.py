"""Built-in registrations: double opt-in, capacity per date, waiting list, e-mailed links.

A registration holds seats once its e-mail address is confirmed (no account needed): it
then takes the seats if the date has enough left (``Event.capacity`` per occurrence; none
= unlimited), else it joins the date's waiting list. A cancellation frees its seats, and
the waiting list is promoted in order, skipping requests that do not fit.

Race safety: every write that counts seats first locks the occurrence row —
``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every transaction begins IMMEDIATE (see
settings), which already serialises writers — so two people never both get the last seat.

Personal data: names and e-mails are erased ``ESSAIM_REGISTRATION_RETENTION_DAYS`` after
the date ended (``purge_personal_data``); the rows stay, anonymous, as attendance counts.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from essaim.accounts.roles import Role, has_role
from essaim.agenda.models import Event, EventStatus, Occurrence, Registration, RegistrationMode
from essaim.common.mail import mail_message

State = Registration.State
ACTIVE = (State.UNCONFIRMED, State.CONFIRMED, State.WAITING)
# Those who confirmed their address: told when the organiser cancels their date.
HOLDING = (State.CONFIRMED, State.WAITING)
# Coming dates offered in the form, at most (a weekly series over the horizon is ~57).
MAX_DATES_OFFERED = 100


class RegistrationRefused(Exception):
    """What the rules do not allow; ``str(error)`` is the message shown to the person."""


# --- reading -----------------------------------------------------------------------------


def occurrence_label(occurrence: Occurrence) -> str:
    """'mardi 16 mars 2027 à 18h00' in the event's zone (the date alone if all-day)."""
    start = occurrence.local_start
    if occurrence.event.all_day:
        return date_format(start.date(), "l j F Y")
    return date_format(start, r"l j F Y à H\hi")


def with_seats(occurrences: QuerySet) -> QuerySet:
    """Annotates ``taken`` (confirmed seats) and ``waiting`` (waiting registrations)."""
    confirmed = Q(registrations__state=State.CONFIRMED)
    return occurrences.annotate(
        taken=Coalesce(Sum("registrations__seats", filter=confirmed), 0),
        waiting=Count("registrations", filter=Q(registrations__state=State.WAITING)),
    )


def open_dates(event: Event, *, now: datetime | None = None) -> QuerySet:
    """The coming, not cancelled dates of ``event`` one may register for, with seats."""
    now = now or timezone.now()
    dates = event.occurrences.filter(start__gt=now).exclude(event_status=EventStatus.CANCELLED)
    return with_seats(dates.order_by("start", "pk"))


def seats_taken(occurrence: Occurrence) -> int:
    confirmed = occurrence.registrations.filter(state=State.CONFIRMED)
    return confirmed.aggregate(n=Sum("seats"))["n"] or 0


def seats_left(occurrence: Occurrence, taken: int) -> int | None:
    """Seats still free (None = no limit); a date the organiser marked full has none."""
    if occurrence.event_status == EventStatus.FULL:
        return 0
    capacity = occurrence.event.capacity
    return None if capacity is None else max(capacity - taken, 0)


def closed_reason(occurrence: Occurrence, *, now: datetime | None = None) -> str | None:
    """Why nobody may register for ``occurrence`` now; None when registrations are open."""
    event = occurrence.event
    if event.registration_mode != RegistrationMode.BUILTIN:
        return _("Cet événement ne prend pas d'inscription sur ce site.")
    if not event.is_public:
        return _("Cet événement n'est pas publié.")
    if occurrence.is_cancelled or event.event_status == EventStatus.CANCELLED:
        return _("Cette date est annulée.")
    if occurrence.start <= (now or timezone.now()):
        return _("Cette date est passée : les inscriptions sont closes.")
    return None


def can_see_registrations(user, event: Event) -> bool:
    """The organiser (the event's owner), staff and moderators see who registered."""
    if not user.is_authenticated:
        return False
    return event.owner_id == user.pk or user.is_staff or has_role(user, Role.MODERATOR)


def event_registrations(event: Event) -> QuerySet:
    """Every registration of ``event``, by date, then in arrival order."""
    return (
        Registration.objects.filter(occurrence__event=event)
        .select_related("occurrence__event")
        .order_by("occurrence__start", "occurrence_id", "created_at", "pk")
    )


# --- writing -------------------------------------------------------------------------------


def register(*, occurrence: Occurrence, name: str, email: str, seats: int,
             now: datetime | None = None) -> Registration:  # fmt: skip
    """Records an unconfirmed registration and mails its confirm and cancel links.

    Raises RegistrationRefused for a closed date or a bad seat count. The same address
    registering again for the same date gets its links mailed again, not a second row.
    """
    if reason := closed_reason(occurrence, now=now):
        raise RegistrationRefused(reason)
    _check_seats(occurrence, seats)
    email = email.strip()
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                occurrence=occurrence, name=name.strip(), email=email, seats=seats
            )
    except IntegrityError:  # this address already holds a live registration for the date
        existing = occurrence.registrations.get(email__iexact=email, state__in=ACTIVE,
                                                purged_at=None)  # fmt: skip
        template = "confirm" if existing.state == State.UNCONFIRMED else "reminder"
        _send(existing, template, occurrence=occurrence)
        return existing
    _send(registration, "confirm", occurrence=occurrence)
    return registration


def _check_seats(occurrence: Occurrence, seats: int) -> None:
    most = settings.ESSAIM_REGISTRATION_MAX_SEATS
    capacity = occurrence.event.capacity
    if capacity is not None:
        most = min(most, capacity)
    if not 1 <= seats <= most:
        raise RegistrationRefused(_("De 1 à %(most)d places par personne.") % {"most": most})


def confirm(*, token: str, now: datetime | None = None) -> Registration:
    """Confirms the address behind ``token``: seats if enough remain, else the waiting list.

    Idempotent; raises Registration.DoesNotExist for an unknown token and
    RegistrationRefused for a cancelled registration or a closed date.
    """
    now = now or timezone.now()
    with transaction.atomic():
        occurrence, registration = _lock(token)
        if registration.state == State.CANCELLED:
            raise RegistrationRefused(_("Cette inscription a été annulée."))
        if registration.state != State.UNCONFIRMED:
            return registration
        if reason := closed_reason(occurrence, now=now):
            raise RegistrationRefused(reason)
        left = seats_left(occurrence, seats_taken(occurrence))
        if left is None or registration.seats <= left:
            registration.state, registration.confirmed_at = State.CONFIRMED, now
        else:
            registration.state, registration.waiting_since = State.WAITING, now
        registration.save(update_fields=["state", "confirmed_at", "waiting_since"])
    return registration


def cancel(*, token: str, now: datetime | None = None) -> Registration:
    """Cancels the registration behind ``token``; its seats go to the waiting list.

    Those promoted are mailed. Idempotent; raises RegistrationRefused once the date is over.
    """
    now = now or timezone.now()
    with transaction.atomic():
        occurrence, registration = _lock(token)
        if registration.state == State.CANCELLED:
            return registration
        if occurrence.end <= now:
            raise RegistrationRefused(_("Cette date est passée."))
        freed = registration.state == State.CONFIRMED
        registration.state, registration.cancelled_at = State.CANCELLED, now
        registration.save(update_fields=["state", "cancelled_at"])
        promoted = _promote(occurrence, now) if freed else []
    _send_all(promoted, "promoted", occurrence=occurrence)
    return registration


def promote_waiting(*, occurrence_id: int, now: datetime | None = None) -> list[Registration]:
    """Gives free seats of a date to its waiting list (after a capacity rise); mails them."""
    now = now or timezone.now()
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence_id)
        promoted = _promote(occurrence, now)
    _send_all(promoted, "promoted", occurrence=occurrence)
    return promoted


def _lock_occurrence(occurrence_id: int) -> Occurrence:
    """The occurrence, its row locked until the transaction ends (a no-op on SQLite, whose
    IMMEDIATE transactions already hold the database's write lock)."""
    locked = Occurrence.objects.select_for_update(of=("self",)).select_related("event")
    return locked.get(pk=occurrence_id)


def _lock(token: str) -> tuple[Occurrence, Registration]:
    occurrence_id = Registration.objects.values_list("occurrence_id", flat=True).get(
        token=token, purged_at=None
    )
    occurrence = _lock_occurrence(occurrence_id)
    # Read again under the lock: a concurrent request may have changed it meanwhile.
    return occurrence, Registration.objects.get(token=token)


def _promote(occurrence: Occurrence, now: datetime) -> list[Registration]:
    """Confirm waiting registrations that fit the free seats, first come first served.

    A request too large for what is free keeps its place while smaller ones behind it get
    the seats, so that no seat stays empty while someone waits who would fit. Call locked.
    """
    if closed_reason(occurrence, now=now):
        return []
    left = seats_left(occurrence, seats_taken(occurrence))
    promoted = []
    waiting = occurrence.registrations.filter(state=State.WAITING).order_by("waiting_since", "pk")
    for registration in waiting:
        if left == 0:
            break
        if left is not None and registration.seats > left:
            continue
        registration.state, registration.confirmed_at = State.CONFIRMED, now
        promoted.append(registration)
        left = None if left is None else left - registration.seats
    Registration.objects.bulk_update(promoted, ["state", "confirmed_at"])
    return promoted


# --- the organiser cancels ------------------------------------------------------------------


def notify_cancelled_dates(*, event_id: int, now: datetime | None = None) -> int:
    """Mails, once, everyone who confirmed for a coming date of the event now cancelled."""
    now = now or timezone.now()
    concerned = Registration.objects.filter(
        occurrence__event_id=event_id, occurrence__event_status=EventStatus.CANCELLED,
        occurrence__end__gt=now, state__in=HOLDING, cancellation_notice_at=None, purged_at=None,
    ).select_related("occurrence__event")  # fmt: skip
    sent = 0
    for registration in concerned:
        sent += _send(registration, "date_cancelled", occurrence=registration.occurrence)
        Registration.objects.filter(pk=registration.pk).update(cancellation_notice_at=now)
    return sent


def notify_removed_date(registration: Registration, *, now: datetime | None = None) -> None:
    """Before a coming date disappears (removed from the series, event deleted), mail its
    confirmed and waiting people once the deletion is committed."""
    if registration.state not in HOLDING or registration.cancellation_notice_at:
        return
    occurrence = Occurrence.objects.select_related("event").get(pk=registration.occurrence_id)
    if occurrence.end <= (now or timezone.now()) or registration.purged_at:
        return
    message = _message(registration, "date_cancelled", occurrence=occurrence)
    transaction.on_commit(message.send)


def after_event_saved(*, event_id: int) -> None:
    """After an event or one of its dates changed: tell people of cancelled dates, and give
    seats that a larger capacity freed to the waiting lists."""
    notify_cancelled_dates(event_id=event_id)
    waiting = Occurrence.objects.filter(
        event_id=event_id, end__gt=timezone.now(), registrations__state=State.WAITING
    )
    for occurrence_id in waiting.values_list("pk", flat=True).distinct():
        promote_waiting(occurrence_id=occurrence_id)


# --- personal data ------------------------------------------------------------------------


def purge_personal_data(*, now: datetime | None = None) -> int:
    """Erases names and e-mails of registrations whose date ended more than the retention
    delay ago; the rows stay as anonymous counts. Idempotent; returns how many were erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ESSAIM_REGISTRATION_RETENTION_DAYS)
    due = Registration.objects.filter(purged_at=None, occurrence__end__lte=cutoff)
    return _erase(due, now)


def _erase(registrations: QuerySet, now: datetime) -> int:
    # The token goes too: it was the key to the person's links. The new one is guessable,
    # which is harmless: views ignore erased registrations.
    token = Concat(Value("erased-"), Cast("pk", CharField()))
    return registrations.update(name="", email="", token=token, purged_at=now)


def registrations_of(emails: list[str]) -> QuerySet:
    """Registrations made with any of ``emails`` (case-insensitive), not yet erased."""
    if not emails:
        return Registration.objects.none()
    match = Q()
    for email in emails:
        match |= Q(email__iexact=email)
    return Registration.objects.filter(match, purged_at=None)


def forget_person(*, emails: list[str], now: datetime | None = None) -> int:
    """Account deletion: cancels the person's coming registrations (freeing seats for the
    waiting lists) then erases name and e-mail from all of them; returns how many."""
    now = now or timezone.now()
    coming = registrations_of(emails).filter(state__in=ACTIVE, occurrence__end__gt=now)
    for token in list(coming.values_list("token", flat=True)):
        cancel(token=token, now=now)
    return _erase(registrations_of(emails), now)


# --- mail ------------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def links(registration: Registration, event: Event) -> dict[str, str]:
    kwargs = {"slug": event.slug, "token": registration.token}
    return {
        "confirm_url": absolute(reverse("agenda_registrations:confirm", kwargs=kwargs)),
        "cancel_url": absolute(reverse("agenda_registrations:cancel", kwargs=kwargs)),
        "event_url": absolute(
            reverse("agenda_registrations:register", kwargs={"slug": event.slug})
        ),
    }


def _message(registration: Registration, template: str, *, occurrence: Occurrence):
    event = occurrence.event
    context = {
        "registration": registration, "event": event,
        "occurrence": occurrence, "when": occurrence_label(occurrence),
        "retention_days": settings.ESSAIM_REGISTRATION_RETENTION_DAYS,
        **links(registration, event),
    }  # fmt: skip
    return mail_message(f"agenda/email/registration_{template}.txt", context,
                        to=registration.email)  # fmt: skip


def _send(registration: Registration, template: str, *, occurrence: Occurrence) -> int:
    return _message(registration, template, occurrence=occurrence).send()


def _send_all(registrations: list[Registration], template: str, *, occurrence) -> int:
    return sum(_send(r, template, occurrence=occurrence) for r in registrations)


# --- signals -----------------------------------------------------------------------------------


def _event_saved(sender, instance: Event, raw=False, **kwargs):
    # Only events with built-in registration can have registrations: imports cost nothing.
    if not raw and instance.registration_mode == RegistrationMode.BUILTIN:
        transaction.on_commit(lambda: after_event_saved(event_id=instance.pk))


def _change_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _event_saved(Event, instance.event)


def _registration_deleted(sender, instance: Registration, origin=None, **kwargs):
    # Deleted along with its date (removed from the series, or the event deleted): tell
    # the person. A registration deleted on its own is an administrator's doing: no mail.
    if not (isinstance(origin, Registration) or getattr(origin, "model", None) is Registration):
        notify_removed_date(instance)


def connect_signals() -> None:
    """Connected after ``recurrence.connect_signals()``: occurrences are in sync by then."""
    from django.db.models.signals import post_save, pre_delete

    from essaim.agenda.models import EventChange

    post_save.connect(_event_saved, sender=Event, dispatch_uid="agenda_registrations_event")
    post_save.connect(_change_saved, sender=EventChange, dispatch_uid="agenda_registrations_change")
    pre_delete.connect(
        _registration_deleted, sender=Registration, dispatch_uid="agenda_registrations_deleted"
    )
