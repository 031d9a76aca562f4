"""From iCalendar bytes to import records: structure, identity and time.

The file is first checked line by line (so that a broken line is named by its number), then
parsed by ``icalendar`` and made standard by ``x-wr-timezone`` (Google's X-WR-TIMEZONE
calendars). Only VEVENTs are read; VTODO, VJOURNAL and VFREEBUSY are skipped.

Time rules (RFC 5545 where it speaks, documented in docs/agenda.md where it does not):
- an event's zone is its DTSTART's TZID; floating times and all-day events take the
  calendar's X-WR-TIMEZONE, else Europe/Paris (``settings.TIME_ZONE``);
- a one-off event in UTC is shown in that calendar zone (same instant); a *recurring* UTC
  series keeps UTC as its zone, so that every occurrence stays at the instant the source gives;
- a missing DTEND is DTSTART + DURATION if given, else one day for an all-day event and the
  same instant for a timed one (RFC 5545 §3.6.1, as ``recurring-ical-events`` reads it);
- a TZID unknown to IANA (Windows names are mapped by ``icalendar``) falls back to the
  calendar zone with a warning naming the event.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import x_wr_timezone
from dateutil.rrule import rrulestr
from django.conf import settings

from essaim.agenda.imports import parser
from essaim.agenda.models import EventStatus

MAX_MESSAGES = 20
SKIPPED = {"VTODO": "tâche", "VJOURNAL": "note", "VFREEBUSY": "disponibilité"}
TIME_PROPERTIES = {"DTSTART", "DTEND", "DURATION", "RRULE", "EXDATE", "RECURRENCE-ID"}
UTC_KEYS = {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Z"}
STATUSES = frozenset(EventStatus.values)
# name[;param=value…]:value — a quoted parameter value may hold ':' and ';'.
# Names are read as icalendar reads them (it also takes '_' and '.' in X- names).
CONTENT_LINE = re.compile(r'[A-Za-z0-9_.-]+(?:;[A-Za-z0-9_.-]+=(?:"[^"]*"|[^";:]*)'
                          r'(?:,(?:"[^"]*"|[^";:]*))*)*:')  # fmt: skip


class ImportFailed(Exception):
    """Bad input: nothing was written. ``str(exc)`` names the lines or events at fault."""


@dataclass
class Change:
    """A modified occurrence (RECURRENCE-ID), in the series' zone."""

    recurrence_id: datetime
    start: datetime
    end: datetime
    title: str = ""
    event_status: str = ""
    note: str = ""


@dataclass
class Record:
    """One event to write: its key (UID), where it was read, its values and changes."""

    uid: str
    where: str
    vevent: icalendar.Event
    values: dict = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    themes: list[int] = field(default_factory=list)


@dataclass
class Parsed:
    records: list[Record]
    warnings: list[str]
    skipped: dict[str, int]


def summary_of(messages: list[str], title: str) -> str:
    shown = "\n".join(f"- {m}" for m in messages[:MAX_MESSAGES])
    more = len(messages) - MAX_MESSAGES
    return f"{title} :\n{shown}" + (f"\n… et {more} autres." if more > 0 else "")


# --- reading the file -----------------------------------------------------------------------


def decode(data: bytes, warnings: list[str]) -> str:
    # NUL is never meant in a calendar, and PostgreSQL refuses it in text.
    data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        warnings.append("Le fichier n'est pas en UTF-8 : lu en Windows-1252.")
        return data.decode("cp1252", errors="replace")


def check_lines(text: str) -> list[int]:
    """Raise ImportFailed naming each broken line; return the line number of each VEVENT."""
    errors, starts, stack = [], [], []
    logical, first = "", 0
    lines = text.splitlines()
    for number, line in enumerate([*lines, "END-OF-FILE:"], start=1):
        if line[:1] in (" ", "\t") and number <= len(lines):
            logical += line[1:]  # a folded line continues the previous one
            continue
        if logical:
            _check_line(logical, first, errors, stack, starts)
        logical, first = line, number
    if not text.lstrip("\ufeff \r\n").upper().startswith("BEGIN:VCALENDAR"):
        errors.insert(0, "ligne 1 : un fichier iCalendar commence par BEGIN:VCALENDAR "
                         "(est-ce bien un .ics ?)")  # fmt: skip
    errors += [f"{name} ouvert ligne {line} n'est jamais fermé (END:{name} manquant)"
               for name, line in stack]  # fmt: skip
    if errors:
        raise ImportFailed(summary_of(errors, "Fichier iCalendar mal formé, rien n'a été écrit"))
    return starts


def _check_line(line: str, number: int, errors: list, stack: list, starts: list) -> None:
    if line == "END-OF-FILE:" or not line.strip():
        return
    if not CONTENT_LINE.match(line):
        shown = line if len(line) <= 60 else line[:57] + "…"
        errors.append(f"ligne {number} : « {shown} » n'est pas une ligne iCalendar "
                      "(NOM:valeur ; une ligne repliée commence par une espace)")  # fmt: skip
        return
    name, _, value = line.partition(":")
    name, value = name.upper(), value.strip().upper()
    if name == "BEGIN":
        stack.append((value, number))
        if value == "VEVENT":
            starts.append(number)
    elif name == "END":
        if not stack or stack[-1][0] != value:
            opened = f" (ouvert : {stack[-1][0]})" if stack else ""
            errors.append(f"ligne {number} : END:{value} sans BEGIN:{value}{opened}")
        else:
            stack.pop()


def parse(data: bytes, *, default_zone: str = "") -> Parsed:
    """The file's events as records with times and identity; ImportFailed on bad input."""
    warnings: list[str] = []
    text = decode(data, warnings)
    starts = check_lines(text)
    try:
        calendars = parser.from_ical(text)
    except ValueError as exc:
        raise ImportFailed(f"Fichier iCalendar illisible, rien n'a été écrit : {exc}") from None
    records, skipped, line_of = [], {}, iter(starts)
    for cal in calendars:
        zone = _calendar_zone(cal, default_zone or settings.TIME_ZONE, warnings)
        cal = _standard(cal, zone, warnings)
        for component in cal.subcomponents:
            name = component.name.upper()
            if name in SKIPPED:
                skipped[name] = skipped.get(name, 0) + 1
            elif name == "VEVENT":
                records.append(Reader(component, next(line_of, None), zone, warnings))
    return Parsed(_group(records, warnings), warnings, skipped)


def _calendar_zone(cal, default: str, warnings: list[str]) -> str:
    given = str(cal.get("X-WR-TIMEZONE", "")).strip()
    if not given:
        return default
    zone = zone_name(given)
    if zone is None:
        warnings.append(f"X-WR-TIMEZONE « {given} » inconnu : fuseau {default} utilisé.")
        return default
    return zone


def zone_name(tzid: str) -> str | None:
    """The IANA name for a TZID: IANA itself or a Windows name icalendar knows, else None."""
    if tzid in _iana():
        return tzid
    olson = icalendar.timezone.windows_to_olson.WINDOWS_TO_OLSON.get(tzid)
    return olson if olson in _iana() else None


_zones: set[str] = set()


def _iana() -> set[str]:
    if not _zones:
        _zones.update(available_timezones())
    return _zones


def _standard(cal, zone: str, warnings: list[str]):
    """Google's UTC and floating times become times in X-WR-TIMEZONE (what Google means)."""
    if "X-WR-TIMEZONE" not in cal:
        return cal
    cal["X-WR-TIMEZONE"] = zone
    try:
        return x_wr_timezone.to_standard(cal)
    except Exception as exc:  # noqa: BLE001 (a library failure on odd input becomes a message)
        warnings.append(f"X-WR-TIMEZONE non appliqué ({exc}).")
        return cal


# --- one VEVENT -----------------------------------------------------------------------------


class Reader:
    """Reads one VEVENT's identity and times; collects its errors and warnings."""

    def __init__(self, vevent, line: int | None, zone: str, warnings: list[str]):
        self.vevent, self.line, self.calendar_zone = vevent, line, zone
        self.warnings = warnings
        self.errors: list[str] = []
        self.title = " ".join(str(vevent.get("SUMMARY", "")).split())
        self.uid = str(vevent.get("UID", "")).strip()
        self.where = self._where()
        for prop, message in getattr(vevent, "errors", []):
            if prop is None or prop.upper() in TIME_PROPERTIES:
                self.errors.append(f"{self.where}, {prop or 'ligne'} : {message}")
            else:
                self.warn(f"propriété {prop} illisible, ignorée ({message})")
        self.sequence = _int(vevent.get("SEQUENCE"))
        self.recurrence_id = vevent.get("RECURRENCE-ID")

    def _where(self) -> str:
        place = f"ligne {self.line}, " if self.line else ""
        title = f" « {self.title[:60]} »" if self.title else ""
        uid = f" (UID {self.uid})" if self.uid else " (sans UID)"
        return f"{place}événement{title}{uid}"

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.where} : {message}.")

    def error(self, message: str) -> None:
        self.errors.append(f"{self.where} : {message}.")

    # --- times ---------------------------------------------------------------------------

    def series_zone(self) -> str:
        """The zone this VEVENT's times are read in (see the module's rules)."""
        prop = self.vevent.get("DTSTART")
        value = dt(prop)
        if not isinstance(value, datetime):
            return self.calendar_zone
        if value.tzinfo is None:
            tzid = prop.params.get("TZID")
            if tzid:
                self.warn(f"fuseau « {tzid} » inconnu, heures lues en {self.calendar_zone}")
            return self.calendar_zone
        key = getattr(value.tzinfo, "key", None)
        if key in UTC_KEYS or value.tzinfo is UTC:
            return "UTC" if "RRULE" in self.vevent else self.calendar_zone
        if key and zone_name(key):
            return zone_name(key)
        tzid = prop.params.get("TZID", str(value.tzinfo))
        self.warn(f"fuseau « {tzid} » hors IANA : heures converties en {self.calendar_zone}")
        return self.calendar_zone

    def times(self, zone: ZoneInfo) -> tuple[bool, datetime, datetime] | None:
        """(all_day, start, end) in ``zone``; None (with an error) if DTSTART is unusable."""
        prop = self.vevent.get("DTSTART")
        begins = dt(prop)
        if begins is None:
            if prop is None:
                self.error("DTSTART manquant")
            return None  # a broken DTSTART is already among the errors
        all_day = not isinstance(begins, datetime)
        start = aware(begins, zone)
        end = self._end(begins, start, all_day, zone)
        if end < start:
            self.warn("DTEND avant DTSTART : fin ramenée au début")
            end = start
        return all_day, start, end

    def _end(self, begins, start: datetime, all_day: bool, zone: ZoneInfo) -> datetime:
        ends = dt(self.vevent.get("DTEND"))
        if ends is not None:
            if all_day and isinstance(ends, datetime):
                ends = ends.date()
            return aware(ends, zone)
        duration = dt(self.vevent.get("DURATION"))
        if isinstance(duration, timedelta):
            if all_day:
                return aware(begins + timedelta(days=duration.days or 1), zone)
            return start + duration
        return aware(begins + timedelta(days=1), zone) if all_day else start

    def rrule(self, all_day: bool, zone: ZoneInfo, start: datetime) -> str:
        rules = self.vevent.get("RRULE")
        if rules is None:
            return ""
        if isinstance(rules, list):
            self.warn("plusieurs RRULE : seule la première est gardée")
            rules = rules[0]
        try:
            rule = icalendar.vRecur(dict(rules))
        except ValueError as exc:  # icalendar's BrokenCalendarProperty
            self.error(f"RRULE illisible ({exc})")
            return ""
        until = rule.get("UNTIL")
        if until:
            rule["UNTIL"] = [_until(until[0], all_day, zone)]
        text = rule.to_ical().decode()
        try:
            rrulestr(text, dtstart=start.replace(tzinfo=None) if all_day else start)
        except (ValueError, TypeError) as exc:
            self.error(f"RRULE « {text} » invalide ({exc})")
            return ""
        if len(text) > 500:
            self.error("RRULE de plus de 500 caractères")
        if "RDATE" in self.vevent:
            self.warn("dates supplémentaires (RDATE) non prises en charge, ignorées")
        return text

    def exdates(self, all_day: bool, zone: ZoneInfo, start: datetime) -> list[str]:
        found = set()
        for moment in _dates(self.vevent.get("EXDATE")):
            if all_day:
                day = moment.astimezone(zone).date() if isinstance(moment, datetime) else moment
                found.add(day.isoformat())
            else:
                if not isinstance(moment, datetime):  # a date on a timed series: that day's one
                    moment = datetime.combine(moment, start.astimezone(zone).time())
                found.add(aware(moment, zone).astimezone(zone).strftime("%Y-%m-%dT%H:%M"))
        return sorted(found)

    def status(self) -> str:
        own = str(self.vevent.get("X-ESSAIM-STATUS", "")).strip()
        if own in STATUSES:  # our own feeds say more than STATUS can
            return own
        cancelled = str(self.vevent.get("STATUS", "")).upper() == "CANCELLED"
        return EventStatus.CANCELLED if cancelled else EventStatus.SCHEDULED


def dt(prop):
    """A property's value, or None when it is missing or broken (its error is recorded)."""
    try:
        return prop.dt if prop is not None else None
    except (ValueError, AttributeError):
        return None


def aware(value: date | datetime, zone: ZoneInfo) -> datetime:
    """All-day dates become local midnight; floating times are read in ``zone``."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=zone)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def _until(until, all_day: bool, zone: ZoneInfo):
    """UNTIL as RFC 5545 wants it: a date for all-day series, else a UTC date-time."""
    if all_day:
        return until.astimezone(zone).date() if isinstance(until, datetime) else until
    if not isinstance(until, datetime):  # the whole last day counts
        until = datetime.combine(until, time(23, 59, 59))
    return aware(until, zone).astimezone(UTC)


def _dates(prop) -> list:
    props = prop if isinstance(prop, list) else [prop] if prop is not None else []
    return [d.dt for p in props for d in getattr(p, "dts", []) if dt(d) is not None]


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- series, modified occurrences and duplicates ------------------------------------------


def _group(readers: list[Reader], warnings: list[str]) -> list[Record]:
    errors = [e for r in readers for e in r.errors]
    masters: dict[str, Reader] = {}
    overrides: dict[str, list[Reader]] = {}
    for reader in readers:
        if not reader.uid:
            reader.uid = synthetic_uid(reader)
            reader.warn(f"sans UID : clé {reader.uid} tirée de DTSTART et SUMMARY")
        if reader.recurrence_id is not None:
            overrides.setdefault(reader.uid, []).append(reader)
        elif reader.uid in masters:
            masters[reader.uid] = _latest(masters[reader.uid], reader)
        else:
            masters[reader.uid] = reader
    records = []
    for uid, reader in masters.items():
        record = _record(reader, overrides.pop(uid, []))
        errors += reader.errors
        if record:
            records.append(record)
    for uid, orphans in overrides.items():
        for orphan in orphans:  # an invitation to one date of someone else's series
            orphan.uid = f"{uid}#{orphan.recurrence_id.to_ical().decode()}"
            orphan.recurrence_id = None
            record = _record(orphan, [])
            errors += orphan.errors
            if record:
                records.append(record)
    if errors:
        raise ImportFailed(summary_of(errors, "Import refusé, rien n'a été écrit"))
    return records


def synthetic_uid(reader: Reader) -> str:
    start = reader.vevent.get("DTSTART")
    text = f"{start.to_ical().decode() if start is not None else ''}|{reader.title}"
    return f"sans-uid-{hashlib.sha1(text.encode()).hexdigest()[:20]}"  # noqa: S324 (a key, not a secret)


def _latest(kept: Reader, other: Reader) -> Reader:
    """Two VEVENTs with one UID and no RECURRENCE-ID: keep the higher SEQUENCE, else the later."""
    winner = other if other.sequence >= kept.sequence else kept
    winner.warn(f"UID présent plusieurs fois (aussi {(kept if winner is other else other).where})"
                " : la version la plus récente est gardée")  # fmt: skip
    return winner


def _record(reader: Reader, overrides: list[Reader]) -> Record | None:
    if reader.errors:  # a broken time property: the import is refused, read no further
        return None
    zone_key = reader.series_zone()
    zone = ZoneInfo(zone_key)
    times = reader.times(zone)
    if times is None:
        return None
    all_day, start, end = times
    rrule = reader.rrule(all_day, zone, start)
    uid = reader.uid if len(reader.uid) <= 255 else reader.uid[:200] + _digest(reader.uid)
    record = Record(uid=uid, where=reader.where, vevent=reader.vevent)
    record.values.update(
        timezone=zone_key, all_day=all_day, start=start, end=end, rrule=rrule,
        exdates=reader.exdates(all_day, zone, start) if rrule else [],
        event_status=reader.status(),
    )  # fmt: skip
    if overrides and not rrule:
        reader.warn("dates modifiées (RECURRENCE-ID) d'un événement non répété : ignorées")
    elif overrides:
        record.changes = _changes(reader, overrides, zone, all_day)
    return record


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:20]  # noqa: S324 (a key, not a secret)


def _changes(master: Reader, overrides: list[Reader], zone: ZoneInfo, all_day: bool):
    by_rid: dict[datetime, tuple[int, Change]] = {}
    for reader in overrides:
        rid_value = dt(reader.recurrence_id)
        if rid_value is None:
            continue
        if all_day and isinstance(rid_value, datetime):
            rid_value = rid_value.astimezone(zone).date()
        times = reader.times(zone)
        master.errors += reader.errors
        if times is None:
            continue
        _, start, end = times
        title = reader.title if reader.title != master.title else ""
        status = reader.status()
        status = "" if status == master.status() else status
        change = Change(aware(rid_value, zone), start, end, title[:140], status)
        known = by_rid.get(change.recurrence_id)
        if known is None or reader.sequence >= known[0]:
            by_rid[change.recurrence_id] = (reader.sequence, change)
    return [change for _, change in sorted(by_rid.values(), key=lambda c: c[1].recurrence_id)]
