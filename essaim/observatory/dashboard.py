"""The observatory's dashboard: counts and trends by theme, territory and time.

Figures come from aggregates the modules keep on write where they have them (the map's
pre-aggregated cells count initiatives per theme and département) and otherwise from one
grouped query per chart, bounded by the chosen territory. A whole dashboard is cached
``CACHE_SECONDS`` per filter; the key carries the map's version, so publishing or hiding
an initiative shows at once.

Each chart is a list of rows (code, label, value) that the page draws (SVG), lists (table)
and offers as CSV (``/observatoire/<chart>.csv``), all three from the same rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from essaim.common import charts
from essaim.taxonomy.models import Theme
from essaim.territories import contours
from essaim.territories.models import Commune, Level
from essaim.territories.territory import AnyTerritory, commune_filter

CACHE_SECONDS = 300
PARIS = ZoneInfo("Europe/Paris")
MONTHS_BACK = 24


@dataclass
class Chart:
    slug: str
    title: str
    value_label: str
    kind: str  # "bars", "columns" or "map"
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # (code, label, value)
    links: dict[str, str] = field(default_factory=dict)  # code → where that row leads
    note: str = ""

    def table_rows(self) -> list[tuple[str, int, str]]:
        """(label, value, link or "") per row, for the table that goes with the picture."""
        return [(label, value, self.links.get(code, "")) for code, label, value in self.rows]

    @property
    def total(self) -> int:
        return sum(value for _, _, value in self.rows)

    def drawing(self) -> dict:
        pairs = [(label, value) for _, label, value in self.rows]
        if self.kind == "bars":
            shapes, height = charts.bars(pairs)
            return {"bars": shapes, "height": height, "label_width": charts.LABEL_WIDTH,
                    "area": charts.BAR_AREA}  # fmt: skip
        if self.kind == "columns":
            shapes, width = charts.columns(pairs)
            return {"columns": shapes, "width": width, "area": charts.COLUMN_AREA}
        values = {code: value for code, _, value in self.rows}
        areas, height, breaks = charts.choropleth(_contours(self.note, values), values)
        lows = [1, *(bound + 1 for bound in breaks[:-1])][: len(breaks)]
        legend = [
            (shade, low, high)
            for shade, (low, high) in enumerate(zip(lows, breaks, strict=True), 1)
        ]
        return {"areas": areas, "height": height, "legend": legend}


@dataclass(frozen=True)
class Filters:
    territory: AnyTerritory
    theme: Theme | None = None

    @property
    def cache_key(self) -> str:
        from essaim.initiatives import clustering

        theme = self.theme.slug if self.theme else ""
        return f"observatory:{self.territory.key}:{theme}:{clustering.map_version()}"


def dashboard(filters: Filters) -> dict:
    found = cache.get(filters.cache_key)
    if found is None:
        found = {"figures": key_figures(filters), "charts": all_charts(filters)}
        cache.set(filters.cache_key, found, CACHE_SECONDS)
    return found


def chart(filters: Filters, slug: str) -> Chart | None:
    return next((c for c in dashboard(filters)["charts"] if c.slug == slug), None)


# --- figures ---------------------------------------------------------------------------


def activity_counts(f: Filters) -> dict[str, int]:
    """What the platform holds for a territory (and theme): the figures of the dashboard,
    of the territory API (/api/v1/territories/<key>) — one definition for both."""
    from essaim.agenda import filters as agenda_filters
    from essaim.directory.models import Organisation
    from essaim.experiences.models import ExperiencePage
    from essaim.initiatives import clustering
    from essaim.publications.models import ArticlePage

    articles = ArticlePage.objects.visible().in_territory(f.territory)
    if f.theme:
        articles = articles.of_theme(f.theme)
    coming = agenda_filters.AgendaFilters(theme=f.theme, territory=f.territory)
    return {
        "initiatives": clustering.count_public(
            clustering.MapFilter(theme=f.theme, territory=f.territory)
        ),
        "upcoming_events": agenda_filters.events(coming).count(),
        "articles": articles.count(),
        "experiences": _count_in_scope(ExperiencePage.objects.live().public(), f),
        "organisations": _count_in_scope(Organisation.objects.public(), f),
    }


ACTIVITY_LABELS = {
    "initiatives": _("initiatives publiées"),
    "upcoming_events": _("événements à venir"),
    "articles": _("articles publiés"),
    "experiences": _("expériences documentées"),
    "organisations": _("organisations dans l'annuaire"),
}


def key_figures(f: Filters) -> list[tuple[str, int]]:
    return [(str(ACTIVITY_LABELS[name]), value) for name, value in activity_counts(f).items()]


# --- charts ----------------------------------------------------------------------------


def all_charts(f: Filters) -> list[Chart]:
    found = [initiatives_by_theme(f), *initiatives_by_area(f), initiatives_by_month(f),
             events_by_month(f), organisations_by_month(f), articles_by_month(f),
             experiences_by_month(f), assessments_by_month(f), picks_by_month(f)]  # fmt: skip
    return [c for c in found if c is not None]


def initiatives_by_theme(f: Filters) -> Chart | None:
    from essaim.initiatives import clustering

    themes = list(f.theme.children.order_by("position", "name") if f.theme
                  else Theme.objects.top_level().order_by("position", "name"))  # fmt: skip
    if not themes:
        return None
    counts = clustering.counts_by_theme(clustering.MapFilter(territory=f.territory))
    rows = sorted(((t.slug, t.name, counts.get(t.pk, 0)) for t in themes), key=lambda r: -r[2])
    title = _("Initiatives par sous-thème") if f.theme else _("Initiatives par thème")
    return Chart("initiatives-par-theme", str(title), str(_("initiatives")), "bars", rows,
                 links={t.slug: t.get_absolute_url() for t in themes})  # fmt: skip


# The level a territory is broken down into, and the contours that draw it.
BREAKDOWN = {
    Level.REGION: ("departement_id", "departements", _("Initiatives par département")),
    Level.DEPARTEMENT: ("epci_id", "epcis", _("Initiatives par intercommunalité")),
    Level.EPCI: ("pk", "communes", _("Initiatives par commune")),
}


def initiatives_by_area(f: Filters) -> list[Chart]:
    """The territory's parts (départements of a région, EPCI of a département, communes of
    an EPCI): a table and bars, and a shaded map where contours are bundled."""
    from essaim.initiatives import clustering

    if f.territory.level not in BREAKDOWN:
        return []
    part, contour_set, title = BREAKDOWN[f.territory.level]
    per_commune = clustering.counts_by_commune(
        clustering.MapFilter(theme=f.theme, territory=f.territory)
    )
    communes = Commune.objects.filter(commune_filter(f.territory, prefix=""))
    counts: dict[str, int] = {}
    for commune, code in communes.values_list("pk", part):
        if code:
            counts[code] = counts.get(code, 0) + per_commune.get(commune, 0)
    names, links = _part_names(f.territory.level, counts)
    rows = sorted(((code, names[code], n) for code, n in counts.items() if code in names),
                  key=lambda r: (-r[2], r[1]))  # fmt: skip
    table = Chart("initiatives-par-territoire", str(title), str(_("initiatives")), "bars",
                  rows, links)  # fmt: skip
    map_title = _("Carte : %(title)s") % {"title": title}
    shaded = Chart("carte-par-territoire", str(map_title), str(_("initiatives")), "map", rows,
                   links, note=contour_set)  # fmt: skip
    has_contours = bool(_contours(contour_set, counts))
    return [shaded, table] if has_contours else [table]


def _part_names(level: str, counts: dict[str, int]) -> tuple[dict[str, str], dict[str, str]]:
    from essaim.territories.models import EPCI, Departement

    model = {Level.REGION: Departement, Level.DEPARTEMENT: EPCI, Level.EPCI: Commune}[level]
    parts = model.objects.filter(pk__in=list(counts)).only("pk", "name")
    names = {p.pk: p.name for p in parts}
    links = {p.pk: f"?territoire={p.key}" for p in parts}
    return names, links


def _contours(contour_set: str, values: dict[str, int]) -> list[dict]:
    features = getattr(contours, contour_set)() if contour_set else []
    return [feature for feature in features if feature["properties"]["code"] in values]


def months(first: date, count: int) -> list[date]:
    found, year, month = [], first.year, first.month
    for _n in range(count):
        found.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _month_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=PARIS)


def _monthly(rows, span: list[date]) -> list[tuple[str, str, int]]:
    counts = {timezone.localtime(month, PARIS).date().replace(day=1): n for month, n in rows
              if month is not None}  # fmt: skip
    return [(m.strftime("%Y-%m"), date_format(m, "M Y"), counts.get(m, 0)) for m in span]


def _span(back: int, ahead: int = 0) -> list[date]:
    today = timezone.localdate()
    year, month = today.year, today.month - back + 1
    while month < 1:
        year, month = year - 1, month + 12
    return months(date(year, month, 1), back + ahead)


def _per_month(found, field: str, span: list[date]) -> list[tuple[str, str, int]]:
    """Rows of ``found`` per month of ``field`` over ``span`` (one grouped query)."""
    month = TruncMonth(field, tzinfo=PARIS)
    rows = (found.filter(**{f"{field}__gte": _month_start(span[0])}).order_by()
            .annotate(month=month).values("month")
            .annotate(n=Count("pk", distinct=True)).values_list("month", "n"))  # fmt: skip
    return _monthly(rows, span)


def _in_scope(found, f: Filters):
    """``found`` (rows with a commune and themes) within the filters' territory and theme."""
    found = found.filter(commune_filter(f.territory))
    return found.filter(themes__in=f.theme.family_ids()) if f.theme else found


def _count_in_scope(found, f: Filters) -> int:
    """How many of ``found`` are in scope; a row with two themes of the family counts once."""
    found = _in_scope(found, f)
    return found.distinct().count() if f.theme else found.count()


def _monthly_chart(slug: str, title, unit, found, field: str) -> Chart:
    rows = _per_month(found, field, _span(MONTHS_BACK))
    return Chart(slug, str(title), str(unit), "columns", rows)


def initiatives_by_month(f: Filters) -> Chart:
    from essaim.initiatives.models import Initiative

    return _monthly_chart("initiatives-par-mois", _("Initiatives publiées par mois"),
                          _("initiatives"), _in_scope(Initiative.objects.public(), f),
                          "published_at")  # fmt: skip


def organisations_by_month(f: Filters) -> Chart:
    from essaim.directory.models import Organisation

    return _monthly_chart("organisations-par-mois", _("Organisations publiées par mois"),
                          _("organisations"), _in_scope(Organisation.objects.public(), f),
                          "published_at")  # fmt: skip


def articles_by_month(f: Filters) -> Chart:
    from essaim.publications.models import ArticlePage

    articles = ArticlePage.objects.visible().in_territory(f.territory)
    if f.theme:
        articles = articles.of_theme(f.theme)
    return _monthly_chart("articles-par-mois", _("Articles publiés par mois"), _("articles"),
                          articles, "first_published_at")  # fmt: skip


def experiences_by_month(f: Filters) -> Chart:
    from essaim.experiences.models import ExperiencePage

    sheets = _in_scope(ExperiencePage.objects.live().public(), f)
    return _monthly_chart("experiences-par-mois", _("Expériences documentées par mois"),
                          _("expériences"), sheets, "first_published_at")  # fmt: skip


def assessments_by_month(f: Filters) -> Chart | None:
    """How many self-assessments were consolidated, never what they found. Left out below
    ESSAIM_EVALUATION_MIN_GROUP in all (the rule of the campaign aggregates): a handful
    could point at a project."""
    from essaim.evaluation.models import Assessment

    done = Assessment.objects.filter(status=Assessment.Status.CONSOLIDATED).filter(
        commune_filter(f.territory, prefix="project__commune")
    )
    if f.theme:
        done = done.filter(project__theme__in=f.theme.family_ids())
    rows = _per_month(done, "consolidated_at", _span(MONTHS_BACK))
    if sum(value for _code, _label, value in rows) < settings.ESSAIM_EVALUATION_MIN_GROUP:
        return None
    return Chart("evaluations-par-mois", str(_("Auto-évaluations consolidées par mois")),
                 str(_("auto-évaluations")), "columns", rows,
                 note=str(_("Leur nombre seulement : les résultats des projets restent "
                            "privés.")))  # fmt: skip


def events_by_month(f: Filters) -> Chart:
    from essaim.agenda import filters as agenda_filters
    from essaim.agenda.models import Occurrence

    span = _span(12, ahead=6)
    start, end = _month_start(span[0]), _month_start(months(span[-1], 2)[1])
    scope = agenda_filters.event_filter(
        agenda_filters.AgendaFilters(theme=f.theme, territory=f.territory), "event__"
    )
    rows = (Occurrence.objects.public().between(start, end).filter(scope)
            .annotate(month=TruncMonth("start", tzinfo=PARIS)).values("month")
            .annotate(n=Count("pk")).values_list("month", "n"))  # fmt: skip
    return Chart("evenements-par-mois", str(_("Dates d'événements par mois")), str(_("dates")),
                 "columns", _monthly(rows, span),
                 note=str(_("Douze mois passés et six à venir.")))  # fmt: skip


def picks_by_month(f: Filters) -> Chart | None:
    from essaim.veille.models import Pick

    if f.territory.level != Level.REGION or f.territory.code != settings.ESSAIM_REGION:
        return None  # the watch has no territory: it belongs to the home région's page
    picks = Pick.objects.public()
    if f.theme:
        picks = picks.filter(themes__in=f.theme.family_ids())
    rows = _per_month(picks, "picked_at", _span(12))
    return Chart("veille-par-mois", str(_("Articles retenus dans la veille par mois")),
                 str(_("articles")), "columns", rows)  # fmt: skip
