"""schema.org JSON-LD of an initiative, embedded in its detail page."""

import json

from django.utils.safestring import mark_safe

from essaim.common.templatetags.links import is_web_url
from essaim.initiatives import opening_hours
from essaim.initiatives.models import LegalForm

# "</script>" or "<!--" inside a string must not end the script element.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
# Places that receive the public get LocalBusiness; networks and bodies, Organization.
ORGANIZATION_FORMS = {LegalForm.PUBLIC_BODY, LegalForm.COLLECTIVE}


def script_json(data: dict) -> str:
    """JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return mark_safe(text)  # noqa: S308 (every "<", ">" and "&" is escaped above)


def initiative_document(initiative, *, url: str) -> dict:
    kind = "Organization" if initiative.legal_form in ORGANIZATION_FORMS else "LocalBusiness"
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": f"{url}#initiative",
        "name": initiative.name,
        "description": initiative.summary,
        "url": url,
        "address": postal_address(initiative),
    }
    if initiative.latitude is not None and initiative.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": initiative.latitude,
                       "longitude": initiative.longitude}  # fmt: skip
    if hours := opening_hours.schema_org(initiative.opening_hours):
        data["openingHours"] = hours
    candidates = [initiative.website, *initiative.social_links]
    if links := [link for link in candidates if link and is_web_url(link)]:
        data["sameAs"] = links
    if initiative.email and initiative.email_public:
        data["email"] = initiative.email
    if initiative.phone:
        data["telephone"] = initiative.phone
    if initiative.image:
        data["image"] = absolute_media(url, initiative.image.url)
    if initiative.siret:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "SIRET",
                              "value": initiative.siret}  # fmt: skip
    return data


def absolute_media(page_url: str, path: str) -> str:
    """A media URL made absolute on the page's origin (MEDIA_URL may already be absolute)."""
    if "://" in path:
        return path
    scheme, _, rest = page_url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}{path}"


def postal_address(initiative) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    if initiative.address:
        address["streetAddress"] = initiative.address
    if initiative.postal_code:
        address["postalCode"] = initiative.postal_code
    if initiative.commune_id:
        address["addressLocality"] = initiative.commune.name
        address["addressRegion"] = initiative.commune.region.name
    return address
