"""From a VEVENT's descriptive properties to Event fields: title, texts, place, themes, links.

``Resolver`` holds the look-up tables of one import (themes; communes of the postal codes
met; commune points if some event has coordinates but no postal code), each loaded once.
"""

import html
import math
import re
from collections import defaultdict

from essaim.agenda.imports.calendar import Record
from essaim.agenda.models import AttendanceMode
from essaim.common.html import clean_html, strip_html
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune, PostalCode
from essaim.territories.names import fold

TITLE_MAX, SUMMARY_MAX = 140, 280
URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
HTML_TAG = re.compile(r"</?(?:p|br|a|div|span|b|i|em|strong|ul|ol|li|h[1-6])\b[^>]*>", re.I)
POSTAL = re.compile(r"\b(\d{5})\b[\s,]*([^\d,;]*)")
GRID = 0.2  # degrees: cell size of the commune-point grid for "nearest commune"


class Resolver:
    """Themes by slug and folded name; communes by postal code + name, or nearest point."""

    def __init__(self, postal_codes: set[str]):
        self.themes = {}
        for theme in Theme.objects.only("pk", "slug", "name"):
            self.themes[theme.slug] = self.themes[fold(theme.name)] = theme.pk
        self.postal = defaultdict(list)
        rows = PostalCode.objects.filter(code__in=postal_codes).values_list(
            "code", "commune_id", "commune__name_folded", "commune__latitude",
            "commune__longitude",
        )  # fmt: skip
        self.points = {}
        for code, commune, name, lat, lon in rows:
            self.postal[code].append((commune, name))
            self.points[commune] = (lat, lon)
        self.grid = None
        self.unknown_categories: set[str] = set()

    def commune(self, postal_code: str, text: str) -> str | None:
        candidates = self.postal.get(postal_code, [])
        folded = fold(text)
        for code, name in candidates:
            if folded == name or folded.startswith(name + " "):
                return code
        return candidates[0][0] if len(candidates) == 1 else None

    def nearest(self, lat: float, lon: float) -> str | None:
        if self.grid is None:
            self._load_grid()
        row, col = _cell(lat, lon)
        near = [p for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                for p in self.grid[(row + dr, col + dc)]]  # fmt: skip
        if not near:
            return None
        cos = math.cos(math.radians(lat))
        code, point = min(near, key=lambda p: (p[1][0] - lat) ** 2 + ((p[1][1] - lon) * cos) ** 2)
        self.points[code] = point
        return code

    def _load_grid(self) -> None:
        self.grid = defaultdict(list)
        rows = Commune.objects.exclude(latitude=None).values_list("code", "latitude", "longitude")
        for code, lat, lon in rows.iterator(chunk_size=5000):
            self.grid[_cell(lat, lon)].append((code, (lat, lon)))


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(math.floor(lat / GRID)), int(math.floor(lon / GRID))


def postal_codes(records: list[Record]) -> set[str]:
    """Every 5-digit code in the LOCATIONs, to load their communes in one query."""
    return {m.group(1) for r in records for m in POSTAL.finditer(str(r.vevent.get("LOCATION", "")))}


def describe(record: Record, resolver: Resolver, warnings: list[str]) -> None:
    """Fill ``record.values`` and ``record.themes`` from the VEVENT; warnings name the event."""
    vevent = record.vevent
    _title(record, lambda message: warnings.append(f"{record.where} : {message}."))
    _texts(record)
    _place(record, resolver)
    _online(record)
    organiser = vevent.get("ORGANIZER")
    name = organiser.params.get("CN", "") if organiser is not None else ""
    record.values["organiser_name"] = str(name).strip().strip('"')[:200]
    url = str(vevent.get("URL", "")).strip()
    record.values["source_url"] = url if URL.fullmatch(url) and len(url) <= 500 else ""
    record.themes = _themes(vevent, resolver)


def _title(record: Record, warn) -> None:
    title = " ".join(str(record.vevent.get("SUMMARY", "")).split())
    if not title:
        warn("sans titre (SUMMARY) : « Événement sans titre »")
        title = "Événement sans titre"
    if len(title) > TITLE_MAX:
        warn(f"titre de {len(title)} caractères, coupé à {TITLE_MAX}")
        title = title[: TITLE_MAX - 1].rstrip() + "…"
    record.values["title"] = title


def _texts(record: Record) -> None:
    vevent = record.vevent
    alt = vevent.get("X-ALT-DESC")
    is_html = alt is not None and "html" in str(alt.params.get("FMTTYPE", "")).lower()
    text = str(alt if is_html else vevent.get("DESCRIPTION", "")).strip()
    if is_html or HTML_TAG.search(text):
        description = clean_html(text)
        plain = strip_html(text)
    else:
        description = paragraphs(text)
        plain = " ".join(text.split())
    record.values["description"] = description
    record.values["summary"] = shorten(plain, SUMMARY_MAX)


def paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, line breaks kept and addresses made links."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r", "")) if b.strip()]
    return clean_html("".join(f"<p>{_linked(b).replace(chr(10), '<br>')}</p>" for b in blocks))


def _linked(text: str) -> str:
    parts, last = [], 0
    for match in URL.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        url = html.escape(match.group())
        parts.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    return "".join(parts) + html.escape(text[last:])


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _place(record: Record, resolver: Resolver) -> None:
    location = " ".join(str(record.vevent.get("LOCATION", "")).split())
    values = record.values
    values.update(place_name="", address="", postal_code="", commune_id=None,
                  latitude=None, longitude=None)  # fmt: skip
    if location and not URL.fullmatch(location):
        head, sep, rest = location.partition(",")
        if sep and not head.strip()[:1].isdigit():
            values["place_name"], values["address"] = head.strip()[:200], _address(rest)
        elif POSTAL.search(location):
            values["address"] = _address(location)
        else:
            values["place_name"] = location[:200]
        match = POSTAL.search(location)
        if match:
            values["postal_code"] = match.group(1)
            values["commune_id"] = resolver.commune(match.group(1), match.group(2))
    geo = record.vevent.get("GEO")
    lat, lon = getattr(geo, "latitude", None), getattr(geo, "longitude", None)
    if lat is not None and -90 <= lat <= 90 and -180 <= lon <= 180 and (lat or lon):
        values["latitude"], values["longitude"] = round(lat, 7), round(lon, 7)
        if values["commune_id"] is None and (location or values["postal_code"]):
            values["commune_id"] = resolver.nearest(lat, lon)
    elif values["commune_id"]:
        values["latitude"], values["longitude"] = resolver.points[values["commune_id"]]


def _address(text: str) -> str:
    text = re.sub(r",?\s*France\s*$", "", text.strip(" ,"), flags=re.IGNORECASE)
    return text[:255]


def _online(record: Record) -> None:
    vevent, values = record.vevent, record.values
    links = [str(c).strip() for c in _listed(vevent.get("CONFERENCE"))]
    location = str(vevent.get("LOCATION", "")).strip()
    if URL.fullmatch(location):
        links.append(location)
    online = next((link for link in links if URL.fullmatch(link) and len(link) <= 500), "")
    physical = bool(values["place_name"] or values["address"])
    values["online_url"] = online
    if online:
        mode = AttendanceMode.MIXED if physical else AttendanceMode.ONLINE
    else:
        mode = AttendanceMode.OFFLINE
    values["attendance_mode"] = mode


def _listed(prop) -> list:
    return prop if isinstance(prop, list) else [] if prop is None else [prop]


def _themes(vevent, resolver: Resolver) -> list[int]:
    found = set()
    for prop in _listed(vevent.get("CATEGORIES")):
        for category in getattr(prop, "cats", []):
            name = str(category).strip()
            pk = resolver.themes.get(name) or resolver.themes.get(fold(name))
            if pk:
                found.add(pk)
            elif name:
                resolver.unknown_categories.add(name)
    return sorted(found)
