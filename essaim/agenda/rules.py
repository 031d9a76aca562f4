"""Recurrence in plain words ⇄ RFC 5545 RRULE.

The proposal form offers a few repetitions people say in words ("every week", "every
month on the third Tuesday"…), ending on a date or after N times. This module only writes
and reads the RRULE text (through ``icalendar.vRecur``); expanding it is
``recurring-ical-events``' job (``essaim.agenda.recurrence``).
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class Repeat(models.TextChoices):
    NONE = "", _("Une seule fois")
    WEEKLY = "weekly", _("Chaque semaine, le même jour")
    BIWEEKLY = "biweekly", _("Toutes les deux semaines, le même jour")
    MONTHLY_NTH = "monthly-nth", _("Chaque mois, le même jour de la semaine (ex. : le 3e mardi)")
    MONTHLY_DAY = "monthly-day", _("Chaque mois, à la même date (ex. : le 16)")


@dataclass(frozen=True)
class PlainRule:
    repeat: str = Repeat.NONE
    until: date | None = None  # last possible day, inclusive, local
    count: int | None = None


def nth_weekday(day: date) -> int:
    """Which of its month's weekdays ``day`` is: 1 to 4, or -1 for a fifth (the last)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def to_rrule(rule: PlainRule, first: date, *, zone: ZoneInfo, all_day: bool) -> str:
    """The RRULE for ``rule`` starting on ``first`` ("" for a one-off)."""
    if not rule.repeat:
        return ""
    weekday = WEEKDAYS[first.weekday()]
    parts: dict = {}
    if rule.repeat in (Repeat.WEEKLY, Repeat.BIWEEKLY):
        parts = {"FREQ": "WEEKLY", "BYDAY": [weekday]}
        if rule.repeat == Repeat.BIWEEKLY:
            parts["INTERVAL"] = 2
    elif rule.repeat == Repeat.MONTHLY_NTH:
        parts = {"FREQ": "MONTHLY", "BYDAY": [f"{nth_weekday(first)}{weekday}"]}
    elif rule.repeat == Repeat.MONTHLY_DAY:
        parts = {"FREQ": "MONTHLY", "BYMONTHDAY": [first.day]}
    if rule.until:
        parts["UNTIL"] = _until(rule.until, zone=zone, all_day=all_day)
    elif rule.count:
        parts["COUNT"] = rule.count
    return icalendar.vRecur(parts).to_ical().decode()


def _until(day: date, *, zone: ZoneInfo, all_day: bool) -> date | datetime:
    # RFC 5545: UNTIL is a DATE for all-day series and a UTC time when DTSTART has a TZID.
    if all_day:
        return day
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def from_rrule(text: str, first: date, *, zone: ZoneInfo) -> PlainRule | None:
    """The plain words for an RRULE the form could have written; None if it says more."""
    if not text:
        return PlainRule()
    try:
        recur = icalendar.vRecur.from_ical(text)
    except ValueError:
        return None
    parts = {key: list(values) for key, values in recur.items()}
    until, count = _end_of(parts, zone)
    repeat = _repeat_of(parts, first)
    return None if repeat is None else PlainRule(repeat=repeat, until=until, count=count)


def _end_of(parts: dict, zone: ZoneInfo) -> tuple[date | None, int | None]:
    until = parts.pop("UNTIL", [None])[0]
    if isinstance(until, datetime):
        until = (until.astimezone(zone) if until.tzinfo else until).date()
    count = parts.pop("COUNT", [None])[0]
    return until, int(count) if count else None


def _repeat_of(parts: dict, first: date) -> str | None:
    freq = parts.pop("FREQ", [""])[0]
    interval = int(parts.pop("INTERVAL", [1])[0])
    weekday = WEEKDAYS[first.weekday()]
    if freq == "WEEKLY" and parts == {"BYDAY": [weekday]} and interval in (1, 2):
        return Repeat.WEEKLY if interval == 1 else Repeat.BIWEEKLY
    if freq == "MONTHLY" and interval == 1:
        if parts == {"BYDAY": [f"{nth_weekday(first)}{weekday}"]}:
            return Repeat.MONTHLY_NTH
        if parts == {"BYMONTHDAY": [first.day]}:
            return Repeat.MONTHLY_DAY
    return None
