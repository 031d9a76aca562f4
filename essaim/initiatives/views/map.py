"""The map page (/carte/), its embeddable variant, and the territory contours it shades.

Without JavaScript (or without tiles) the map page is a filtered, paginated list; with it,
static/initiatives/map.js draws clusters from /api/v1/map/initiatives and keeps the list
in sync with the view.
"""

import json
from urllib.parse import urlencode

from csp.decorators import csp_update
from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from essaim.common import charts
from essaim.initiatives import clustering
from essaim.initiatives.clustering import MapFilter
from essaim.taxonomy.models import Theme
from essaim.territories import contours
from essaim.territories.models import EPCI, Departement
from essaim.territories.territory import best_match, find_territory, suggest

PAGE_SIZE = 20


class MapFilterForm(forms.Form):
    theme = forms.ModelChoiceField(
        Theme.objects.tree_order(), to_field_name="slug", required=False,
        label=_("Thème"), empty_label=_("Tous les thèmes"),
    )  # fmt: skip
    territoire = forms.CharField(
        label=_("Territoire"), required=False, max_length=100,
        help_text=_("Commune, code postal, intercommunalité, département ou région."),
    )  # fmt: skip
    q = forms.CharField(label=_("Nom contient"), required=False, max_length=100)

    def clean_territoire(self):
        text = self.cleaned_data["territoire"].strip()
        if not text:
            return None
        territory = find_territory(text)
        if territory is None and (match := best_match(suggest(text))):
            territory = find_territory(match.key)
        if territory is None:
            raise forms.ValidationError(_("Territoire introuvable : choisissez une suggestion."))
        return territory

    def map_filter(self) -> MapFilter:
        if not self.is_valid():
            return MapFilter()
        data = self.cleaned_data
        return MapFilter(theme=data["theme"], territory=data["territoire"], q=data["q"].strip())


class ListOrderForm(forms.Form):
    """How the list beside the map is sorted. The map script adds "nearest to the map's
    centre" (``distance``), which only makes sense with a map; the server list then falls
    back to the newest first."""

    tri = forms.ChoiceField(
        label=_("Trier la liste"), required=False,
        choices=[("recent", _("Les plus récentes d'abord")), ("nom", _("Par nom"))],
    )  # fmt: skip

    def order(self) -> str:
        return (self.is_valid() and self.cleaned_data["tri"]) or "recent"


def list_page(filters: MapFilter, number: str | None, order: str = "recent") -> dict:
    """One page of the list (newest first, or by name), without counting a million rows:
    the total comes from the map's cells and the next page is known by reading one row
    more."""
    try:
        number = max(1, int(number or 1))
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    initiatives = clustering.newest_public(filters).select_related("commune")
    if order == "nom":
        initiatives = initiatives.order_by("name", "pk")
    rows = list(initiatives.prefetch_related("themes")[start : start + PAGE_SIZE + 1])
    return {
        "items": rows[:PAGE_SIZE],
        "number": number,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if len(rows) > PAGE_SIZE else None,
        "count": clustering.count_public(filters),
        "order": order,
    }


def api_query(filters: MapFilter) -> str:
    """The filters as query parameters of the map API and of the embed."""
    params = {}
    if filters.theme:
        params["theme"] = filters.theme.slug
    if filters.territory is not None:
        params["territoire"] = filters.territory.key
    if filters.q:
        params["q"] = filters.q
    return urlencode(params)


def map_context(request, filters: MapFilter) -> dict:
    return {
        "filters": filters,
        "filter_query": api_query(filters),
        "tile_url": settings.ESSAIM_TILE_URL,
        "home_region": settings.ESSAIM_REGION,
    }


@require_safe
def map_page(request):
    form = MapFilterForm(request.GET or None)
    filters = form.map_filter()
    order_form = ListOrderForm(request.GET or None)
    page = list_page(filters, request.GET.get("page"), order_form.order())
    query = request.GET.copy()
    query.pop("page", None)
    embed_url = request.build_absolute_uri("/carte/embed/")
    context = map_context(request, filters) | {
        "form": form,
        "order_form": order_form,
        "page": page,
        "page_query": query.urlencode(),
        "departements": departement_counts(),
        "epcis": epci_counts() if epci_features() else None,
        "embed_url": embed_url,
    }
    return render(request, "initiatives/map.html", context)


def departement_counts() -> list[tuple[Departement, int]]:
    """The départements holding public initiatives, by code, with their counts."""
    counts = clustering.counts_by_departement()
    departements = Departement.objects.filter(code__in=[code for code, n in counts.items() if n])
    return [(d, counts[d.code]) for d in departements.order_by("code")]


def epci_counts() -> list[tuple[EPCI, int]]:
    """The home région's EPCI holding public initiatives, by name, with their counts."""
    counts = clustering.counts_by_epci(settings.ESSAIM_REGION)
    epcis = EPCI.objects.filter(code__in=counts).order_by("name")
    return [(epci, counts[epci.code]) for epci in epcis]


@require_safe
@xframe_options_exempt
@csp_update({"frame-ancestors": ["*"]})
def embed(request):
    """A chrome-less map for other sites' iframes: the only page that may be framed."""
    filters = MapFilterForm(request.GET or None).map_filter()
    return render(request, "initiatives/embed.html", map_context(request, filters))


@require_safe
@cache_control(public=True, max_age=3600)
def departement_contours(request):
    """Simplified département contours with their current counts (``count`` property)."""
    return contours_response(departement_features(), clustering.counts_by_departement())


@require_safe
@cache_control(public=True, max_age=3600)
def epci_contours(request):
    """The home région's EPCI contours (in-région parts) with their current counts."""
    return contours_response(epci_features(), clustering.counts_by_epci(settings.ESSAIM_REGION))


def contours_response(features: list[dict], counts: dict[str, int]) -> HttpResponse:
    """GeoJSON of the contours, each with ``name`` and ``count``, and the collection's class
    ``breaks`` (a foreign member, RFC 7946 § 6.1) for the legend."""
    features = [
        {**feature, "properties": territory_properties(feature["properties"], counts)}
        for feature in features
    ]
    breaks = charts.class_breaks([feature["properties"]["count"] for feature in features])
    collection = {"type": "FeatureCollection", "breaks": breaks, "features": features}
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, content_type="application/geo+json")


def territory_properties(properties: dict, counts: dict[str, int]) -> dict:
    name = properties.get("name") or properties["nom"]  # the département file says "nom"
    return {**properties, "name": name, "count": counts.get(properties["code"], 0)}


def departement_features() -> list[dict]:
    return contours.departements()


def epci_features() -> list[dict]:
    """Bundled for the région whose commune contours Essaim carries (see data/README.md)."""
    return contours.epcis()
