"""/api/v1/map/…: one map view of public initiatives, the list in view, counts per territory.

Responses carry an ETag made of the global map version (bumped on every write) and the
query, so an unchanged view answers 304; they are open to any origin (``api.access``).
"""

import json
import zlib

from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from essaim.api.errors import MAP_VIEW_PARAMETERS, ParameterError, query_parameter
from essaim.api.filters import BadParameter, theme_of
from essaim.common.geo import BBoxError, distance_m, from_ref_pixel, parse_bbox, parse_zoom
from essaim.initiatives import clustering
from essaim.initiatives.clustering import MapFilter
from essaim.territories.territory import best_match, communes_of, find_territory, suggest

router = Router(tags=["carte"])
MAX_ZOOM = 20


def parse_filters(params) -> MapFilter:
    """The theme, territory and text filters of a query string (400 on unknown values)."""
    theme, territory = theme_of(params.get("theme", "")), None
    if key := params.get("territoire", "").strip():
        territory = find_territory(key)
        if territory is None and (match := best_match(suggest(key))):
            territory = find_territory(match.key)
        if territory is None:
            raise BadParameter("territoire", f"Territoire inconnu : {key}.")
    return MapFilter(theme=theme, territory=territory, q=params.get("q", "").strip()[:100])


def parse_view(params):
    try:
        bbox = parse_bbox(params.get("bbox", ""))
    except BBoxError as error:
        raise BadParameter("bbox", str(error)) from None
    try:
        zoom = parse_zoom(params.get("zoom"), maximum=MAX_ZOOM)
    except ValueError as error:
        raise BadParameter("zoom", str(error)) from None
    return bbox, zoom


def etag_for(request: HttpRequest) -> str:
    return f'W/"map-{clustering.map_version()}-{zlib.crc32(request.GET.urlencode().encode()):x}"'


def cached_json(request: HttpRequest, build) -> HttpResponse:
    """``build()``'s JSON, or 304 when the client holds the current version."""
    etag = etag_for(request)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        body = json.dumps(build(), ensure_ascii=False, separators=(",", ":"))
        response = HttpResponse(body, content_type=request.map_content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["Vary"] = "Accept-Encoding"
    return response


@router.get("/initiatives", url_name="map_initiatives", summary="Une vue de la carte",
            response={200: dict, 304: None, 400: ParameterError},
            openapi_extra={"parameters": MAP_VIEW_PARAMETERS})  # fmt: skip
def map_initiatives(request):
    """GeoJSON (RFC 7946) of one view: ``bbox=W,S,E,N`` (degrees), ``zoom`` (0–20), and
    optional ``theme`` (slug; includes sub-themes), ``territoire`` (code), ``q`` (text).

    Cluster features have ``cluster: true``, ``count`` and ``expansion_zoom``; initiative
    features have ``id``, ``name``, ``url`` and ``themes`` (slugs). Never above 100 KB."""
    bbox, zoom = parse_view(request.GET)
    filters = parse_filters(request.GET)
    request.map_content_type = "application/geo+json"
    return cached_json(
        request, lambda: clustering.map_features(bbox=bbox, zoom=zoom, filters=filters)
    )


@router.get("/initiatives/list", url_name="map_initiatives_list", summary="Liste de la vue",
            response={200: dict, 304: None, 400: ParameterError},
            openapi_extra={"parameters": [*MAP_VIEW_PARAMETERS, query_parameter(
                "tri", "Ordre : nom (par défaut), recent ou distance.")]})  # fmt: skip
def map_initiatives_list(request):
    """Up to 20 initiatives in the view and how many there are (``count``, capped at 1000:
    ``count_capped`` then says so). Same parameters as ``/map/initiatives``, and ``tri``:
    ``nom`` (default), ``recent`` (newest first) or ``distance`` (nearest to the view's
    centre first; each result then has ``distance_km``)."""
    bbox, _zoom = parse_view(request.GET)
    filters = parse_filters(request.GET)
    order = parse_order(request.GET)
    request.map_content_type = "application/json"
    return cached_json(request, lambda: list_payload(bbox, filters, order))


def parse_order(params) -> str:
    order = params.get("tri", "").strip() or "nom"
    if order not in clustering.LIST_ORDERS:
        raise BadParameter("tri", f"Tri inconnu : {order} (nom, recent ou distance).")
    return order


def list_payload(bbox, filters, order="nom") -> dict:
    initiatives, total = clustering.initiatives_in_view(bbox=bbox, filters=filters, order=order)
    payload = {
        "count": min(total, 1000),
        "count_capped": total > 1000,
        "results": [
            {
                "id": initiative.pk,
                "name": initiative.name,
                "url": initiative.get_absolute_url(),
                "summary": initiative.summary,
                "commune": initiative.commune.name if initiative.commune else "",
                "themes": [theme.name for theme in initiative.themes.all()],
            }
            for initiative in initiatives
        ],
    }
    if order == "distance":
        x_min, y_min, x_max, y_max = bbox.ref_pixels()
        lon, lat = from_ref_pixel((x_min + x_max) / 2, (y_min + y_max) / 2)
        for item, initiative in zip(payload["results"], initiatives, strict=True):
            metres = distance_m(lon, lat, initiative.longitude, initiative.latitude)
            item["distance_km"] = round(metres / 1000, 1)
    return payload


@router.get("/departements", url_name="map_departements", summary="Initiatives par département",
            response={200: dict, 304: None})  # fmt: skip
def map_departements(request):
    """``{"counts": {"37": 120, …}}``: public initiatives per département code."""
    request.map_content_type = "application/json"
    return cached_json(request, lambda: {"counts": clustering.counts_by_departement()})


TERRITORY_PARAMETER = query_parameter(
    "territoire", "Code INSEE, clé ou libellé d'autocomplétion.", required=True
)


@router.get("/territory", url_name="map_territory", summary="Emprise d'un territoire",
            response={200: dict, 400: ParameterError},
            openapi_extra={"parameters": [TERRITORY_PARAMETER]})  # fmt: skip
def map_territory(request):
    """``{"key", "label", "bbox": [W, S, E, N]}`` of a territory (from its communes' points),
    for "fly to" on the map. ``territoire``: a code or an autocomplete label."""
    territory = parse_filters(request.GET).territory
    if territory is None:
        raise BadParameter("territoire", "Paramètre territoire manquant.")
    box = communes_of(territory).aggregate(
        w=Min("longitude"), s=Min("latitude"), e=Max("longitude"), n=Max("latitude")
    )
    response = JsonResponse({"key": territory.key, "label": territory.short_label,
                             "bbox": [box["w"], box["s"], box["e"], box["n"]]})  # fmt: skip
    return response
