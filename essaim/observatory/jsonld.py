"""schema.org JSON-LD for territory and theme pages (embedded as data, not script)."""

import json

from django.utils.safestring import mark_safe

from essaim.territories.models import Level

# Escape what could close the <script> element or open a comment inside it.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_json(data: dict) -> str:
    """JSON safe to place inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308 (escaped above)


def place(territory, request) -> dict:
    data = {
        "@type": "City" if territory.level == Level.COMMUNE else "AdministrativeArea",
        "name": territory.name,
        "identifier": territory.code,
        "url": request.build_absolute_uri(territory.get_absolute_url()),
    }
    return data


def territory_document(territory, parents: list, request, postal_codes: list[str]) -> dict:
    data = {"@context": "https://schema.org", **place(territory, request)}
    if parents:
        data["containedInPlace"] = place(parents[-1], request)
    if getattr(territory, "latitude", None) is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": territory.latitude,
            "longitude": territory.longitude,
        }
    if postal_codes:
        data["address"] = {
            "@type": "PostalAddress",
            "postalCode": postal_codes[0],
            "addressLocality": territory.name,
            "addressCountry": "FR",
        }
    return data


def theme_document(theme, request) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": theme.name,
        "termCode": theme.slug,
        "url": request.build_absolute_uri(theme.get_absolute_url()),
        "inDefinedTermSet": request.build_absolute_uri("/themes/"),
    }
    if theme.description:
        data["description"] = theme.description
    return data
