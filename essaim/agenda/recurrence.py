"""From an event to iCalendar components, and from those to ``Occurrence`` rows.

One source of truth for dates: ``components(event)`` gives the VEVENTs of an event (the
series and one per modified occurrence) with their time properties in the event's zone;
``recurring-ical-events`` expands them; the feeds emit the same components with more
properties. So the list, the API and any calendar client reading our feeds agree.

Occurrences are materialised over a rolling window around today
(``settings.ESSAIM_AGENDA_HORIZON_DAYS`` before and after); the daily job
``extend_horizons`` moves the window forward.
"""

import contextlib
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from essaim.agenda.models import Event, EventChange, EventStatus, Occurrence

# RFC 5545 STATUS for our event statuses; the rest are CONFIRMED with a note in feeds.
ICAL_STATUS = {EventStatus.CANCELLED: "CANCELLED", EventStatus.POSTPONED: "TENTATIVE"}


@dataclass(frozen=True)
class Dates:
    """One expanded occurrence: aware start/end and the start the rule gave it."""

    start: datetime
    end: datetime
    recurrence_id: datetime
    change_id: int | None


# --- event -> components -------------------------------------------------------------------


def local_value(event: Event, moment: datetime) -> datetime | date:
    """``moment`` as the event's wall-clock time (a date for all-day events)."""
    local = moment.astimezone(event.zone)
    return local.date() if event.all_day else local


def parse_exdate(event: Event, text: str) -> datetime | date:
    """An EXDATE written as local 'YYYY-MM-DDTHH:MM' (or 'YYYY-MM-DD' for all-day events)."""
    if event.all_day:
        return date.fromisoformat(text[:10])
    return datetime.fromisoformat(text).replace(tzinfo=event.zone)


def format_exdate(event: Event, moment: datetime | date) -> str:
    """The stored form of an EXDATE: ``parse_exdate``'s inverse."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(event.zone)
        return moment.date().isoformat() if event.all_day else moment.strftime("%Y-%m-%dT%H:%M")
    return moment.isoformat()


def components(event: Event, changes=None) -> list[icalendar.Event]:
    """The series' VEVENT then one per modified occurrence, with UID, times and status."""
    if changes is None:
        changes = list(event.changes.all()) if event.pk else []
    master = _vevent(event, event.start, event.end, event.title, event.event_status)
    if event.rrule:
        master.add("rrule", icalendar.vRecur.from_ical(event.rrule))
        exdates = [parse_exdate(event, text) for text in event.exdates]
        if exdates:
            master.add("exdate", exdates)
    result = [master]
    for change in changes if event.rrule else ():
        status = change.event_status or event.event_status
        vevent = _vevent(event, change.start, change.end, change.title or event.title, status)
        vevent.add("recurrence-id", local_value(event, change.recurrence_id))
        vevent["X-ESSAIM-CHANGE"] = str(change.pk)
        result.append(vevent)
    return result


def _vevent(event: Event, start, end, title: str, status: str) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", event.updated_at or timezone.now())
    vevent.add("sequence", event.sequence)
    vevent.add("summary", title)
    vevent.add("dtstart", local_value(event, start))
    vevent.add("dtend", local_value(event, end))
    vevent.add("status", ICAL_STATUS.get(status, "CONFIRMED"))
    vevent["X-ESSAIM-STATUS"] = status
    return vevent


def calendar_of(vevents: list[icalendar.Event]) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Essaim//Agenda//FR")
    cal.add("version", "2.0")
    for vevent in vevents:
        cal.add_component(vevent)
    return cal


# --- components -> dates ---------------------------------------------------------------------


def as_aware(value: datetime | date, zone: ZoneInfo) -> datetime:
    """Dates of all-day events become local midnight; floating times are taken as local."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=zone)
    return value if value.tzinfo else value.replace(tzinfo=zone)


def expand(event: Event, start: datetime, end: datetime, changes=None) -> list[Dates]:
    """The occurrences of ``event`` that overlap [start, end), in chronological order."""
    cal = calendar_of(components(event, changes))
    zone = event.zone
    found = []
    for vevent in recurring_ical_events.of(cal).between(start, end):
        begins = as_aware(vevent["DTSTART"].dt, zone)
        ends = as_aware(vevent["DTEND"].dt, zone) if "DTEND" in vevent else begins
        rid = vevent.get("RECURRENCE-ID")
        change = vevent.get("X-ESSAIM-CHANGE")
        found.append(
            Dates(
                start=begins,
                end=ends,
                recurrence_id=as_aware(rid.dt, zone) if rid else begins,
                change_id=int(change) if change else None,
            )
        )
    return sorted(found, key=lambda d: (d.start, d.recurrence_id))


def window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The rolling window occurrences are materialised over."""
    now = now or timezone.now()
    span = timedelta(days=settings.ESSAIM_AGENDA_HORIZON_DAYS)
    return now - span, now + span


# --- dates -> Occurrence rows ----------------------------------------------------------------


def sync_occurrences(event: Event, *, now: datetime | None = None) -> None:
    """Make ``event``'s Occurrence rows match its dates within the window.

    A one-off event keeps its single row (updated in place, so its registrations follow a
    change of time); a series' rows are matched on their RECURRENCE-ID.
    """
    changes = {c.pk: c for c in event.changes.all()}
    statuses = {pk: c.event_status or event.event_status for pk, c in changes.items()}
    if event.rrule:
        first, last = window(now)
        dates = expand(event, first, last, list(changes.values()))
    else:
        dates = [Dates(event.start, event.end, event.start, None)]
        last = event.end
    with transaction.atomic():
        existing = {o.recurrence_id: o for o in event.occurrences.all()}
        if not event.rrule and len(existing) == 1:
            existing = {event.start: next(iter(existing.values()))}
        _write(event, dates, existing, statuses)
        Event.objects.filter(pk=event.pk).update(expanded_until=last)


def _write(event: Event, dates: list[Dates], existing: dict, statuses: dict) -> None:
    """Update rows in place where possible: first by RECURRENCE-ID, then, for a series
    whose time moved, by local day, so that a date's registrations follow it."""
    matched = [(d, existing.pop(d.recurrence_id, None)) for d in dates]
    by_day = {_day(event, row.recurrence_id): row for row in existing.values()}
    new, changed = [], []
    for d, row in matched:
        if row is None and (row := by_day.pop(_day(event, d.recurrence_id), None)):
            existing.pop(row.recurrence_id)
        status = statuses.get(d.change_id, event.event_status)
        values = {"start": d.start, "end": d.end, "recurrence_id": d.recurrence_id,
                  "change_id": d.change_id, "event_status": status}  # fmt: skip
        if row is None:
            new.append(Occurrence(event=event, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    if existing:
        Occurrence.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
    fields = ["start", "end", "recurrence_id", "change", "event_status"]
    Occurrence.objects.bulk_update(changed, fields, batch_size=500)
    Occurrence.objects.bulk_create(new, batch_size=500)


def _day(event: Event, moment: datetime) -> date:
    return moment.astimezone(event.zone).date()


def extend_horizons(*, now: datetime | None = None) -> int:
    """Re-expand the series whose occurrences stop short of the window; returns how many."""
    _, last = window(now)
    due = Event.objects.recurring().filter(expanded_until__lt=last - timedelta(days=1))
    count = 0
    for event in due.iterator(chunk_size=200):
        sync_occurrences(event, now=now)
        count += 1
    return count


# --- keeping rows in sync ----------------------------------------------------------------------

_muted = threading.local()


@contextlib.contextmanager
def deferred():
    """Skip per-save syncing (bulk imports call ``sync_occurrences`` themselves after)."""
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = False


def is_deferred() -> bool:
    return getattr(_muted, "on", False)


def _event_saved(sender, instance: Event, raw=False, **kwargs):
    if not raw and not is_deferred():
        sync_occurrences(instance)


def _change_saved(sender, instance: EventChange, raw=False, **kwargs):
    if not raw and not is_deferred():
        sync_occurrences(instance.event)


def _change_deleted(sender, instance: EventChange, origin=None, **kwargs):
    # When the event itself is being deleted, its changes go with it: nothing to sync.
    if isinstance(origin, EventChange) or getattr(origin, "model", None) is EventChange:
        _change_saved(sender, instance)


def connect_signals() -> None:
    post_save.connect(_event_saved, sender=Event, dispatch_uid="agenda_event_saved")
    post_save.connect(_change_saved, sender=EventChange, dispatch_uid="agenda_change_saved")
    post_delete.connect(_change_deleted, sender=EventChange, dispatch_uid="agenda_change_deleted")
