"""Territory and theme pages: what the platform knows about a place or a theme; the
open-data catalogue (``essaim.observatory.catalogue``).

Module content comes in through ``essaim.observatory.sections`` (see its docstring).
"""

from csp.decorators import csp_update
from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from essaim.common import exports as common_exports
from essaim.observatory import catalogue, dashboard, dcat, jsonld
from essaim.observatory.sections import TERRITORY_SECTIONS, THEME_SECTIONS, render_sections
from essaim.taxonomy.models import Theme
from essaim.territories.models import Level, PostalCode, Region
from essaim.territories.territory import (
    children,
    commune_filter,
    communes_of,
    find_territory,
    parents,
    suggest,
)


def key_figures(territory) -> dict:
    """Population, communes, EPCI and postal codes inside the territory (≤ 2 queries)."""
    postal = PostalCode.objects.filter(commune_filter(territory)).values_list("code", flat=True)
    figures = {"population": territory.population, "postal_codes": sorted(set(postal))}
    if territory.level != Level.COMMUNE:
        inside = communes_of(territory).aggregate(
            communes=Count("pk"), epcis=Count("epci", distinct=True)
        )
        figures["communes"] = inside["communes"]
        if territory.level in (Level.REGION, Level.DEPARTEMENT):
            figures["epcis"] = inside["epcis"]
    return figures


@require_safe
def territory(request, code):
    place = find_territory(code)
    if place is None:
        context = {"code": code, "suggestions": suggest(code)}
        return render(request, "observatory/territory_not_found.html", context, status=404)
    ancestors = parents(place)
    figures = key_figures(place)
    context = {
        "territory": place,
        "parents": ancestors,
        "figures": figures,
        "children": {kind: list(rows) for kind, rows in children(place).items()},
        "sections": render_sections(TERRITORY_SECTIONS, place),
        "site_root": request.build_absolute_uri("/").rstrip("/"),
        "jsonld": jsonld.script_json(
            jsonld.territory_document(place, ancestors, request, figures["postal_codes"])
        ),
    }
    return render(request, "observatory/territory.html", context)


@require_safe
def theme_list(request):
    themes = list(Theme.objects.public().tree_order().select_related("parent"))
    tree = [
        (theme, [child for child in themes if child.parent_id == theme.pk])
        for theme in themes
        if not theme.parent_id
    ]
    return render(request, "observatory/theme_list.html", {"tree": tree})


@require_safe
def theme(request, slug):
    subject = get_object_or_404(Theme.objects.public().select_related("parent"), slug=slug)
    context = {
        "theme": subject,
        "subthemes": list(subject.children.public().order_by("position", "name")),
        "sections": render_sections(THEME_SECTIONS, subject),
        "jsonld": jsonld.script_json(jsonld.theme_document(subject, request)),
    }
    return render(request, "observatory/theme.html", context)


# --- open data -----------------------------------------------------------------------------


@require_safe
def data(request):
    context = {"datasets": catalogue.datasets_with_stats()}
    return render(request, "observatory/data.html", context)


@require_safe
def data_catalogue(request):
    base_url = request.build_absolute_uri("/").rstrip("/")
    document = dcat.catalogue(
        catalogue.datasets_with_stats(), base_url,
        catalogue_path=reverse("observatory:data-catalogue"),
        page_path=reverse("observatory:data"),
    )  # fmt: skip
    return JsonResponse(
        document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )


# --- dashboard -----------------------------------------------------------------------------


def _dashboard_filters(request) -> tuple[dashboard.Filters | None, dict[str, str]]:
    """The filters asked for, or None and a message per wrong parameter."""
    errors = {}
    key = request.GET.get("territoire", "").strip() or f"region-{settings.ESSAIM_REGION}"
    place = find_territory(key)
    if place is None:
        errors["territoire"] = _("Territoire inconnu : « %(key)s ».") % {"key": key[:50]}
    subject = None
    if slug := request.GET.get("theme", "").strip():
        subject = Theme.objects.public().filter(slug=slug).first()
        if subject is None:
            errors["theme"] = _("Thème inconnu : « %(slug)s ».") % {"slug": slug[:50]}
    if errors:
        return None, errors
    return dashboard.Filters(territory=place, theme=subject), {}


def _dashboard_choices(filters: dashboard.Filters) -> dict:
    home = Region.objects.get(code=settings.ESSAIM_REGION)
    places = [home, *home.departements.order_by("code")]
    if filters.territory not in places:
        places.append(filters.territory)
    themes = list(Theme.objects.public().tree_order().select_related("parent"))
    return {"places": places, "themes": themes}


@require_safe
def observatory(request):
    filters, errors = _dashboard_filters(request)
    if errors:
        return render(request, "observatory/dashboard_error.html", {"errors": errors}, status=400)
    found = dashboard.dashboard(filters)
    query = request.GET.copy()
    context = {"filters": filters, **found, **_dashboard_choices(filters),
               "query_string": query.urlencode(),
               "site_root": request.build_absolute_uri("/").rstrip("/")}  # fmt: skip
    return render(request, "observatory/dashboard.html", context)


@require_safe
@xframe_options_exempt
@csp_update({"frame-ancestors": ["*"]})
def observatory_chart_embed(request, slug):
    """One dashboard chart alone (SVG, its table and CSV), for other sites' iframes."""
    filters, errors = _dashboard_filters(request)
    if errors:
        return render(request, "observatory/dashboard_error.html", {"errors": errors}, status=400)
    chart = dashboard.chart(filters, slug)
    if chart is None:
        raise Http404(_("Graphique inconnu."))
    context = {"chart": chart, "filters": filters, "query_string": request.GET.urlencode(),
               "site_root": request.build_absolute_uri("/").rstrip("/")}  # fmt: skip
    return render(request, "observatory/embed_chart.html", context)


@require_safe
@xframe_options_exempt
@csp_update({"frame-ancestors": ["*"]})
def territory_embed(request, code):
    """A territory at a glance (population and what the platform holds there), for the
    sites of its communes, facilitators and partners."""
    place = find_territory(code)
    if place is None:
        raise Http404(_("Territoire inconnu."))
    context = {
        "territory": place,
        "figures": key_figures(place),
        "counts": dashboard.key_figures(dashboard.Filters(territory=place)),
        "site_root": request.build_absolute_uri("/").rstrip("/"),
    }
    return render(request, "observatory/embed_territory.html", context)


@require_safe
def observatory_csv(request, slug):
    filters, errors = _dashboard_filters(request)
    if errors:
        return HttpResponseBadRequest("\n".join(errors.values()), content_type="text/plain")
    chart = dashboard.chart(filters, slug)
    if chart is None:
        raise Http404(_("Graphique inconnu."))
    rows = ({"code": code, "libelle": label, "valeur": value} for code, label, value in chart.rows)
    return common_exports.download(
        common_exports.csv_lines(("code", "libelle", "valeur"), rows),
        content_type="text/csv; charset=utf-8", filename=f"{slug}.csv",
    )  # fmt: skip
