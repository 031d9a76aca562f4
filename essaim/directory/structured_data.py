"""schema.org JSON-LD of an organisation, embedded in its page and in the JSON-LD export."""

from essaim.common import licences
from essaim.common.templatetags.links import is_web_url
from essaim.initiatives.structured_data import script_json

__all__ = ["script_json"]


def organisation_document(organisation, *, url: str) -> dict:
    """An Organization with the public identifiers and contacts only."""
    o = organisation
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": f"{url}#organisation",
        "name": o.name,
        "url": url,
    }
    if o.summary:
        data["description"] = o.summary
    if o.website and is_web_url(o.website):
        data["sameAs"] = [o.website, *[link for link in o.social_links if is_web_url(link)]]
    if o.siret:
        data["identifier"] = [{"@type": "PropertyValue", "propertyID": "SIRET", "value": o.siret}]
    if o.rna:
        data.setdefault("identifier", []).append(
            {"@type": "PropertyValue", "propertyID": "RNA", "value": o.rna}
        )
    if o.commune_id:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": o.address,
            "postalCode": o.postal_code,
            "addressLocality": o.commune.name,
            "addressCountry": "FR",
        }
    if o.latitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": o.latitude, "longitude": o.longitude}
    if o.public_email:
        data["email"] = o.public_email
    if o.public_phone:
        data["telephone"] = o.public_phone
    if o.logo:
        data["logo"] = o.logo.url
    return data


def with_licence(document: dict, organisation) -> dict:
    return document | {"license": licences.url(organisation.licence)}
