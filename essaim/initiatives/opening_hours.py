"""Opening hours in OpenStreetMap's ``opening_hours`` syntax: the common subset, in French.

Understood: rules separated by ";" (or ", " before a day), weekday lists and ranges
("Mo-Fr", "Mo,We,Fr"), public holidays ("PH"), one or several time slots
("09:00-12:00,14:00-18:00"), "off"/"closed" and "24/7". Anything else (months, weeks,
"||" fallbacks, sunrise…) is not parsed: ``describe`` returns None and pages show the
text as it was written.
"""

import re
from dataclasses import dataclass

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = dict(zip(DAYS, ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
                            "dimanche"), strict=True))  # fmt: skip
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_DAY_ITEM = rf"(?:{_DAY}(?:-{_DAY})?|PH)"
_TIME = r"(?:[01]?\d|2[0-4]):[0-5]\d"
_SLOT = rf"{_TIME}-{_TIME}"
RULE = re.compile(
    rf"(?P<days>{_DAY_ITEM}(?:,{_DAY_ITEM})*)?\s*(?P<slots>{_SLOT}(?:,{_SLOT})*|off|closed)?"
)
# "Mo-Fr 09:00-18:00, Sa 10:00-12:00": a comma followed by a day also separates rules.
RULE_SEPARATOR = re.compile(rf";|,\s+(?={_DAY_ITEM}\b)")


@dataclass(frozen=True)
class Rule:
    days: tuple[str, ...]  # ("Mo-Fr", "Sa") or ("PH",); empty = every day
    slots: tuple[tuple[str, str], ...]  # (("09:00", "12:00"), …); empty with closed
    closed: bool = False


def parse(text: str) -> list[Rule] | None:
    """The rules of ``text``, or None when it uses syntax outside the common subset."""
    text = (text or "").strip()
    if not text:
        return None
    if text == "24/7":
        return [Rule(days=(), slots=(("00:00", "24:00"),))]
    rules = [_rule(part.strip()) for part in RULE_SEPARATOR.split(text) if part.strip()]
    return rules if rules and None not in rules else None


def _rule(text: str) -> Rule | None:
    match = RULE.fullmatch(text)
    if not match or not (match["days"] or match["slots"]):
        return None
    days = tuple(match["days"].split(",")) if match["days"] else ()
    if match["slots"] in (None, "off", "closed"):
        # "Sa" alone means open all day in OSM; we only accept days alone when closed.
        return Rule(days=days, slots=(), closed=True) if match["slots"] else None
    slots = tuple(tuple(slot.split("-")) for slot in match["slots"].split(","))
    return Rule(days=days, slots=slots)


# --- French -------------------------------------------------------------------------------


def describe(text: str) -> list[str] | None:
    """One French line per rule ("Du lundi au vendredi : 9 h – 12 h, 14 h – 18 h"), or None."""
    rules = parse(text)
    if rules is None:
        return None
    if text.strip() == "24/7":
        return ["Ouvert tous les jours, 24 h sur 24"]
    return [_describe_rule(rule) for rule in rules]


def _describe_rule(rule: Rule) -> str:
    days = _days_label(rule.days)
    hours = "fermé" if rule.closed else ", ".join(f"{_time(a)} – {_time(b)}" for a, b in rule.slots)
    return f"{days[0].upper()}{days[1:]} : {hours}"


def _days_label(days: tuple[str, ...]) -> str:
    if not days:
        return "tous les jours"
    labels = [_day_item_label(item) for item in days]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} et {labels[-1]}"


def _day_item_label(item: str) -> str:
    if item == "PH":
        return "jours fériés"
    first, _sep, last = item.partition("-")
    if not last:
        return DAY_NAMES[first]
    return f"du {DAY_NAMES[first]} au {DAY_NAMES[last]}"


def _time(value: str) -> str:
    hours, minutes = value.split(":")
    return f"{int(hours)} h" if minutes == "00" else f"{int(hours)} h {minutes}"


# --- schema.org ---------------------------------------------------------------------------


def schema_org(text: str) -> list[str]:
    """schema.org ``openingHours`` values ("Mo-Fr 09:00-12:00"), one per slot; [] if unparsed.

    Closed days and public holidays have no place in this property and are left out.
    """
    rules = parse(text) or []
    values = []
    for rule in rules:
        days = ",".join(day for day in rule.days if day != "PH")
        if rule.closed or (rule.days and not days):
            continue
        values += [f"{days or 'Mo-Su'} {start}-{end}" for start, end in rule.slots]
    return values
