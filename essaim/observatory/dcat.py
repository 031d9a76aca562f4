"""The catalogue in DCAT (JSON-LD), the vocabulary national portals harvest.

Terms: dcat:Catalog → dcat:dataset → dcat:Dataset (dct:identifier, dct:title,
dct:description, dct:license, dct:modified, dcat:keyword, dcat:landingPage, dct:publisher,
dct:language) → dcat:distribution → dcat:Distribution (dcat:downloadURL, dcat:accessURL,
dcat:mediaType, dct:format, dct:license).
"""

from django.conf import settings
from django.utils import timezone

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
FRENCH = {"@id": "http://publications.europa.eu/resource/authority/language/FRA"}
IANA = "https://www.iana.org/assignments/media-types/"


def _date(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def catalogue(datasets, base_url: str, catalogue_path: str, page_path: str) -> dict:
    publisher = {"@type": "foaf:Organization", "foaf:name": settings.ESSAIM_SITE_NAME,
                 "foaf:homepage": {"@id": base_url + "/"}}  # fmt: skip
    changes = [modified for _, _, modified in datasets if modified]
    return {
        "@context": CONTEXT,
        "@id": base_url + catalogue_path,
        "@type": "dcat:Catalog",
        "dct:title": f"{settings.ESSAIM_SITE_NAME} — données ouvertes",
        "dct:description": "Les jeux de données publics de la plateforme : contenus publiés "
        "seulement, mis à jour en continu.",
        "dct:language": FRENCH,
        "dct:publisher": publisher,
        "foaf:homepage": {"@id": base_url + page_path},
        "dct:modified": _date(max(changes) if changes else timezone.now()),
        "dcat:dataset": [
            _dataset(d, rows, modified, base_url, page_path, publisher)
            for d, rows, modified in datasets
        ],  # fmt: skip
    }


def _dataset(dataset, rows: int, modified, base_url: str, page_path: str, publisher) -> dict:
    licence = {"@id": dataset.licence_url}
    data = {
        "@id": f"{base_url}{page_path}#{dataset.slug}",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.slug,
        "dct:title": str(dataset.title),
        "dct:description": str(dataset.description),
        "dct:license": licence,
        "dct:language": FRENCH,
        "dct:publisher": publisher,
        "dcat:keyword": list(dataset.keywords),
        "dcat:landingPage": {"@id": base_url + dataset.landing_path},
        "dcat:distribution": [
            {
                "@id": base_url + distribution.path,
                "@type": "dcat:Distribution",
                "dct:title": f"{dataset.title} ({distribution.format})",
                "dct:format": distribution.format,
                "dcat:mediaType": {"@id": IANA + distribution.media_type},
                "dcat:downloadURL": {"@id": base_url + distribution.path},
                "dcat:accessURL": {"@id": base_url + distribution.path},
                "dct:license": licence,
            }
            for distribution in dataset.distributions
        ],
    }
    if modified:
        data["dct:modified"] = _date(modified)
    return data
