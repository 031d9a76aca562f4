"""The agenda's filters, read from query parameters: one parser for the list, the feeds
and the API, so that ``/agenda/?…``, ``/agenda.ics?…`` and ``/api/v1/events?…`` agree.

Parameters (French, as in the URLs): ``q`` text, ``theme`` slug (with its sub-themes),
``territoire`` key (any level), ``du`` / ``au`` local dates (YYYY-MM-DD, inclusive),
``pres`` a commune key or name with ``rayon`` in km (default 10, at most 200), or ``lat`` /
``lon`` from the browser's geolocation; ``en_ligne=1``, ``gratuit=1``, ``accessible=1``
(wheelchair access).
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from essaim.agenda.models import AttendanceMode, Event, Occurrence
from essaim.common.geo import EARTH_RADIUS_M, box_around
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune
from essaim.territories.territory import AnyTerritory, commune_filter, find_territory, suggest

MAX_QUERY = 100
DEFAULT_RADIUS_KM = 10
MAX_RADIUS_KM = 200
MAX_SPAN_DAYS = 400  # the occurrences' window: asking further finds nothing anyway
TRUE = {"1", "oui", "true", "on"}


@dataclass
class AgendaFilters:
    q: str = ""
    theme: Theme | None = None
    territory: AnyTerritory | None = None
    start: date | None = None
    end: date | None = None
    near: tuple[float, float] | None = None  # (lon, lat)
    near_label: str = ""
    radius_km: int = DEFAULT_RADIUS_KM
    online: bool = False
    free: bool = False
    accessible: bool = False
    # parameter -> message, for values that could not be understood (the list shows them,
    # feeds and the API answer 400 with them).
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_active(self) -> bool:
        return any([self.q, self.theme, self.territory, self.start, self.end, self.near,
                    self.online, self.free, self.accessible])  # fmt: skip


def parse(params) -> AgendaFilters:
    """Read ``params`` (a QueryDict or dict); never raises, records errors instead."""
    f = AgendaFilters(q=params.get("q", "").strip()[:MAX_QUERY])
    _parse_theme(f, params.get("theme", "").strip())
    _parse_territory(f, params.get("territoire", "").strip()[:MAX_QUERY])
    f.start = _parse_date(f, "du", params.get("du", ""))
    f.end = _parse_date(f, "au", params.get("au", ""))
    if f.start and f.end and f.end < f.start:
        f.errors["au"] = _("La date de fin précède la date de début.")
    _parse_near(f, params)
    f.online = params.get("en_ligne", "") in TRUE
    f.free = params.get("gratuit", "") in TRUE
    f.accessible = params.get("accessible", "") in TRUE
    return f


def _parse_theme(f: AgendaFilters, slug: str) -> None:
    if slug:
        f.theme = Theme.objects.filter(slug=slug).first()
        if f.theme is None:
            f.errors["theme"] = _("Thème inconnu : %(slug)s.") % {"slug": slug}


def _parse_territory(f: AgendaFilters, key: str) -> None:
    if key:
        f.territory = find_territory(key)
        if f.territory is None:
            f.errors["territoire"] = _("Territoire inconnu : %(key)s.") % {"key": key}


def _parse_date(f: AgendaFilters, name: str, text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        f.errors[name] = _("Date illisible : %(text)s (attendu : AAAA-MM-JJ).") % {"text": text}
        return None


def _parse_near(f: AgendaFilters, params) -> None:
    radius = params.get("rayon", "").strip()
    if radius:
        try:
            f.radius_km = max(1, min(int(radius), MAX_RADIUS_KM))
        except ValueError:
            f.errors["rayon"] = _("Le rayon doit être un nombre de kilomètres.")
    if params.get("lat") and params.get("lon"):
        try:
            lat, lon = float(params["lat"]), float(params["lon"])
        except ValueError:
            lat = lon = math.nan
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            f.errors["lat"] = _("Position illisible.")
            return
        f.near, f.near_label = (lon, lat), _("votre position")
    elif place := params.get("pres", "").strip()[:MAX_QUERY]:
        commune = _commune(place)
        if commune is None or commune.latitude is None:
            f.errors["pres"] = _("Commune inconnue : %(place)s.") % {"place": place}
        else:
            f.near, f.near_label = (commune.longitude, commune.latitude), commune.name


def _commune(text: str) -> Commune | None:
    """A commune by INSEE code, else the best name or postal-code match."""
    commune = Commune.objects.filter(code=text.upper()).first()
    if commune is None:
        found = [s for s in suggest(text, limit=5) if s.level == "commune"]
        commune = Commune.objects.filter(code=found[0].key).first() if found else None
    return commune


# --- filters -> querysets ----------------------------------------------------------------------


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=timezone.get_default_timezone())


def span(f: AgendaFilters, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The instants asked for: [du 00:00, au+1 00:00), by default from now on."""
    now = now or timezone.now()
    start = local_midnight(f.start) if f.start else now
    end = local_midnight(f.end + timedelta(days=1)) if f.end else None
    limit = start + timedelta(days=MAX_SPAN_DAYS)
    return start, min(end, limit) if end else limit


def event_filter(f: AgendaFilters, prefix: str = "") -> Q:
    """A Q on events (``prefix="event__"`` from occurrences) for everything but dates."""
    p = prefix
    q = Q()
    if f.q:
        q &= Q(**{f"{p}title__icontains": f.q}) | Q(**{f"{p}summary__icontains": f.q})
    if f.theme:
        themes = f.theme.family_ids()
        q &= Q(**{f"{p}pk__in": Event.objects.filter(themes__in=themes).values("pk")})
    if f.territory:
        q &= commune_filter(f.territory, prefix=f"{p}commune")
    if f.online:
        q &= ~Q(**{f"{p}attendance_mode": AttendanceMode.OFFLINE})
    if f.free:
        q &= Q(**{f"{p}is_free": True})
    if f.accessible:
        q &= Q(**{f"{p}accessibility_motor": True})
    if f.near:
        near = near_events(f.near, f.radius_km * 1000).values("pk")
        q &= Q(**{f"{p}pk__in": near})
    return q


def near_events(near: tuple[float, float], radius_m: float) -> QuerySet[Event]:
    """Events within ``radius_m`` of (lon, lat): an indexed box, then an equirectangular
    circle (plain arithmetic, so SQLite needs no math functions; < 0.5 % off at 200 km)."""
    lon, lat = near
    (lat_min, lat_max), (lon_min, lon_max) = box_around(lon, lat, radius_m)
    degrees = math.degrees(radius_m / EARTH_RADIUS_M)
    dlat = F("latitude") - lat
    dlon = (F("longitude") - lon) * math.cos(math.radians(lat))
    return (
        Event.objects.filter(
            latitude__range=(lat_min, lat_max), longitude__range=(lon_min, lon_max)
        )  # fmt: skip
        .alias(d2=dlat * dlat + dlon * dlon)
        .filter(d2__lte=degrees * degrees)
    )


def occurrences(f: AgendaFilters, *, now: datetime | None = None) -> QuerySet[Occurrence]:
    """Public occurrences matching ``f``, in the asked span, soonest first."""
    start, end = span(f, now)
    return (
        Occurrence.objects.public()
        .between(start, end)
        .filter(event_filter(f, "event__"))
        .select_related("event__commune", "change")
        .order_by("start", "pk")
    )


def events(f: AgendaFilters, *, now: datetime | None = None) -> QuerySet[Event]:
    """Public events with at least one occurrence matching ``f`` (feeds list series once)."""
    start, end = span(f, now)
    dated = Occurrence.objects.between(start, end).values("event")
    return Event.objects.public().filter(event_filter(f), pk__in=dated).order_by("start", "pk")


def radius_choices() -> list[int]:
    return [5, 10, 20, 50, 100]
