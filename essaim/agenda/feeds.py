"""iCalendar feeds of the agenda: the components ``recurrence.components`` gives (the same the
occurrences are expanded from) plus what a calendar shows, streamed in chunks.

A series stays one VEVENT with its RRULE and EXDATEs, followed by one VEVENT per modified
occurrence (same UID, RECURRENCE-ID). Each event's VEVENT text is kept in ``EventIcal``,
keyed by a digest of everything it is made of, so a feed of thousands of events joins stored
text instead of rebuilding it (see docs/agenda.md, "Feeds and API").
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db.models import CharField, Prefetch, QuerySet
from django.db.models.functions import Cast
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from essaim.agenda import recurrence
from essaim.agenda.models import Event, EventChange, EventIcal
from essaim.common.html import strip_html
from essaim.taxonomy.models import Theme

# Bump when the text of a VEVENT changes shape: every stored text is then rebuilt.
FORMAT_VERSION = "1"
CHUNK = 500
REFRESH = timedelta(hours=6)  # REFRESH-INTERVAL / X-PUBLISHED-TTL: clients poll no faster
CRLF = "\r\n"


# --- URLs ------------------------------------------------------------------------------------


def event_path(event: Event) -> str:
    try:
        return event.get_absolute_url()
    except NoReverseMatch:  # the pages arrive with their own URLconf; the contract holds
        return f"/agenda/{event.slug}/"


def organiser_slug(name: str) -> str:
    return slugify(name)[:100]


def organiser_path(name: str) -> str:
    return reverse("agenda_feeds:organiser_ics", kwargs={"slug": organiser_slug(name)})


# --- one event -> VEVENTs --------------------------------------------------------------------


def location(event: Event) -> str:
    town = " ".join(p for p in [event.postal_code, event.commune.name if event.commune else ""]
                    if p)  # fmt: skip
    return ", ".join(p for p in [event.place_name, event.address, town] if p)


def description(event: Event, url: str, note: str = "") -> str:
    """Plain text: calendar clients show DESCRIPTION as text, so no HTML ever goes in."""
    parts = [note, event.summary, strip_html(event.description)]
    if event.price:
        parts.append(f"Tarifs : {event.price}")
    if event.accessibility_notes:
        parts.append(f"Accessibilité : {event.accessibility_notes}")
    parts.append(url)
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def vevents(event: Event, base_url: str, changes: list, themes: list) -> list[icalendar.Event]:
    """The event's components with their descriptive properties."""
    url = base_url + event_path(event)
    notes = {str(c.pk): c.note for c in changes}
    found = recurrence.components(event, changes)
    for vevent in found:
        change = vevent.pop("X-ESSAIM-CHANGE", None)  # internal id: not for the public
        describe(vevent, event, base_url, url, themes, notes.get(str(change), ""))
    return found


def describe(vevent, event: Event, base_url: str, url: str, themes: list, note: str) -> None:
    vevent.add("description", description(event, url, note))
    vevent.add("url", url)
    vevent.add("class", "PUBLIC")
    vevent.add("last-modified", event.updated_at)
    if event.has_place and (where := location(event)):
        vevent.add("location", where)
    if event.latitude is not None and event.longitude is not None:
        vevent.add("geo", (event.latitude, event.longitude))
    if themes:
        vevent.add("categories", [t.name for t in themes])
    if event.organiser_name and organiser_slug(event.organiser_name):
        # A name only (CN): no organiser e-mail is ever published.
        address = base_url + organiser_path(event.organiser_name)
        vevent.add("organizer", address, parameters={"CN": event.organiser_name})
    if event.is_online and event.online_url:
        online = {"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "En ligne"}
        vevent.add("conference", event.online_url, parameters=online)
    if event.image:
        image = icalendar.vUri(base_url + event.image.url)
        vevent.add("image", image, parameters={"VALUE": "URI", "DISPLAY": "BADGE"})


def event_text(event: Event, base_url: str, changes: list, themes: list) -> str:
    return "".join(v.to_ical().decode() for v in vevents(event, base_url, changes, themes))


# --- stored texts ------------------------------------------------------------------------------
#
# A stored text is current when its digest equals that of the event's row: ``updated_at``
# (every save() bumps it), ``sequence``, the commune's name, the base URL and the format
# version, all read in the feed's one light query. What the row does not show (changed dates,
# themes) deletes the stored texts it touches through signals (``connect_signals``). Writes
# that bypass both (queryset updates, bulk_create of changes) must set ``updated_at``.


def digest(row: tuple, base_url: str) -> str:
    """``row`` is a ``Selection`` row: equal digests, equal texts."""
    _, updated_at, sequence, *_, commune = row
    parts = (FORMAT_VERSION, base_url, updated_at, sequence, commune)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def with_details(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("commune").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("name", "pk")),
        Prefetch("changes", queryset=EventChange.objects.order_by("recurrence_id")),
    )


def rebuild(stale: dict[int, str], base_url: str) -> dict[int, EventIcal]:
    """Serialise the ``stale`` events (id -> digest); the texts, not yet stored."""
    return {
        event.pk: EventIcal(event_id=event.pk, digest=stale[event.pk], text=event_text(
            event, base_url, list(event.changes.all()), list(event.themes.all())))
        for event in with_details(Event.objects.filter(pk__in=list(stale)))
    }  # fmt: skip


def store(texts: list[EventIcal]) -> None:
    for i in range(0, len(texts), CHUNK):
        EventIcal.objects.bulk_create(
            texts[i : i + CHUNK], update_conflicts=True, unique_fields=["event"],
            update_fields=["digest", "text"],
        )  # fmt: skip


def event_texts(selection: "Selection", base_url: str) -> Iterator[str]:
    """The VEVENT texts of the selected events, in order, by chunks of stored texts read by
    primary key (no sort of megabytes of text); stale ones are rebuilt and stored per chunk."""
    for i in range(0, len(selection.rows), CHUNK):
        wanted = {row[0]: digest(row, base_url) for row in selection.rows[i : i + CHUNK]}
        stored = EventIcal.objects.filter(event_id__in=list(wanted))
        texts = {pk: text for pk, key, text in stored.values_list("event_id", "digest", "text")
                 if key == wanted[pk]}  # fmt: skip
        stale = {pk: key for pk, key in wanted.items() if pk not in texts}
        if stale:
            fresh = rebuild(stale, base_url)
            store(list(fresh.values()))
            texts.update((pk, row.text) for pk, row in fresh.items())
        yield "".join(texts[pk] for pk in wanted if pk in texts)


def connect_signals() -> None:
    """Forget stored texts when what their event row does not show changes."""
    post_save.connect(_change_changed, sender=EventChange, dispatch_uid="agenda_ical_change")
    post_delete.connect(_change_changed, sender=EventChange, dispatch_uid="agenda_ical_change_del")
    m2m_changed.connect(_themes_changed, sender=Event.themes.through,
                        dispatch_uid="agenda_ical_themes")  # fmt: skip
    post_save.connect(_theme_saved, sender=Theme, dispatch_uid="agenda_ical_theme")


def _change_changed(sender, instance: EventChange, raw=False, **kwargs):
    if not raw:
        EventIcal.objects.filter(event_id=instance.event_id).delete()


def _themes_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs):
    if action.startswith("post_"):
        if reverse:  # theme.events.add(…): the events are in pk_set (None on clear)
            found = EventIcal.objects.filter(event__themes=instance) if pk_set is None else \
                EventIcal.objects.filter(event_id__in=pk_set)  # fmt: skip
        else:
            found = EventIcal.objects.filter(event_id=instance.pk)
        found.delete()


def _theme_saved(sender, instance: Theme, raw=False, **kwargs):
    if not raw:
        EventIcal.objects.filter(event__themes=instance).delete()


# --- the calendar ------------------------------------------------------------------------------


@dataclass
class Selection:
    """The events of a feed as light rows, read once: the ETag, the VTIMEZONEs and the
    stored texts' digests come from them."""

    # (pk, updated_at, sequence, start, timezone, all_day, commune name); the two times as
    # the database's text (ISO order, UTC), parsed only for the max and min: converting
    # thousands of datetimes was a third of a big feed's time.
    rows: list[tuple]

    @property
    def fingerprint(self) -> dict:
        return {
            "last_modified": _moment(max((r[1] for r in self.rows), default=None)),
            "count": len(self.rows), "sequences": sum(r[2] for r in self.rows),
            "first": _moment(min((r[3] for r in self.rows), default=None)),
        }  # fmt: skip

    @property
    def zones(self) -> list[str]:
        return sorted({r[4] for r in self.rows if not r[5]})


def select(events: QuerySet[Event]) -> Selection:
    texts = events.annotate(
        updated_text=Cast("updated_at", CharField()), start_text=Cast("start", CharField())
    )
    fields = ("pk", "updated_text", "sequence", "start_text", "timezone", "all_day",
              "commune__name")  # fmt: skip
    return Selection(list(texts.values_list(*fields)))


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = parse_datetime(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def header(*, name: str, url: str, description: str = "") -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Essaim//Agenda//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
    cal.add("url", url)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    return cal


def calendar_chunks(selection: Selection, *, name: str, url: str, base_url: str,
                    first: datetime | None, last: datetime,
                    description: str = "") -> Iterator[str]:  # fmt: skip
    """The whole VCALENDAR as text chunks: header and VTIMEZONEs, then VEVENTs by chunks."""
    head = header(name=name, url=url, description=description).to_ical().decode()
    yield head.removesuffix(f"END:VCALENDAR{CRLF}")
    first_day = (first or last).astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    for tzid in selection.zones:
        yield vtimezone_text(tzid, first_day.year, last.year + 1)
    yield from event_texts(selection, base_url)
    yield f"END:VCALENDAR{CRLF}"


# --- VTIMEZONE -----------------------------------------------------------------------------


@lru_cache(maxsize=64)
def vtimezone_text(tzid: str, first_year: int, last_year: int) -> str:
    """A VTIMEZONE for ``tzid`` from 1 January of ``first_year`` to that of ``last_year``.

    Bounded to the feed's span: icalendar's default lists every transition over decades
    (kilobytes per feed). Each observance's DTSTART and RDATEs are the transition instants
    in local time *before* the change (TZOFFSETFROM), as RFC 5545 §3.6.5 reads them.
    """
    zone = ZoneInfo(tzid)
    begin = datetime.combine(date(first_year, 1, 1), time(), tzinfo=zone)
    observances: dict[tuple, list[datetime]] = {_observance(begin, begin): [begin]}
    for instant in _transitions(zone, begin, begin.replace(year=last_year)):
        before, after = (instant - timedelta(seconds=1)).astimezone(zone), instant.astimezone(zone)
        local = (instant + before.utcoffset()).replace(tzinfo=None)
        observances.setdefault(_observance(before, after), []).append(local)
    tz = icalendar.Timezone()
    tz.add("tzid", tzid)
    for (offset_from, offset_to, tzname, is_dst), starts in observances.items():
        part = icalendar.TimezoneDaylight() if is_dst else icalendar.TimezoneStandard()
        part.add("dtstart", starts[0].replace(tzinfo=None))
        if starts[1:]:
            part.add("rdate", starts[1:])
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", offset_to)
        part.add("tzname", tzname)
        tz.add_component(part)
    return tz.to_ical().decode()


def _observance(before: datetime, after: datetime) -> tuple:
    return (before.utcoffset(), after.utcoffset(), after.tzname(), bool(after.dst()))


def _transitions(zone: ZoneInfo, begin: datetime, end: datetime) -> Iterable[datetime]:
    """UTC instants where ``zone``'s offset changes in [begin, end): daily steps, then halving
    down to the second (transitions fall on whole seconds)."""

    def offset(seconds: int) -> timedelta:
        return datetime.fromtimestamp(seconds, zone).utcoffset()

    day = 86400
    moment, stop = int(begin.timestamp()), int(end.timestamp())
    while moment < stop:
        if offset(moment) != offset(moment + day):
            low, high = moment, moment + day
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset(middle) == offset(low) else (low, middle)
            yield datetime.fromtimestamp(high, UTC)
        moment += day
