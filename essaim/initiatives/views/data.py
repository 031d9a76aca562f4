"""Open-data downloads (/donnees/initiatives.csv|geojson|jsonld), streamed."""

from django.views.decorators.http import require_safe

from essaim.common import exports as common_exports
from essaim.initiatives import exports

FORMATS = {
    "csv": (exports.csv_lines, "text/csv; charset=utf-8"),
    "geojson": (exports.geojson_chunks, "application/geo+json"),
    "jsonld": (exports.jsonld_chunks, "application/ld+json"),
}


@require_safe
def download(request, fmt: str):
    produce, content_type = FORMATS[fmt]
    base_url = request.build_absolute_uri("/").rstrip("/")
    return common_exports.download(
        produce(base_url), content_type=content_type, filename=f"initiatives.{fmt}"
    )
