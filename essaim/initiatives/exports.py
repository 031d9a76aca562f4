"""Open-data downloads of the public initiatives: CSV, GeoJSON (RFC 7946), schema.org JSON-LD.

Rows come from ``Initiative.objects.public()`` in keyset chunks (two queries per chunk,
whatever the number of rows), and are written out as they come. Column names are the
import's own (``imports.columns.COLUMNS``): an export re-imports to identical records.
E-mail addresses appear only where the owner made them public; never ``submitter_email``.
"""

import json
from collections.abc import Iterator

from django.db.models import Prefetch

from essaim.common import exports, licences
from essaim.initiatives.imports.columns import COLUMNS
from essaim.initiatives.models import Initiative
from essaim.initiatives.structured_data import initiative_document
from essaim.taxonomy.models import Theme

DEFAULT_LICENCE = licences.DATA_DEFAULT


def public_initiatives(queryset=None) -> Iterator[Initiative]:
    """Every public initiative, by ascending id, loaded by chunks (flat memory)."""
    queryset = (
        (queryset if queryset is not None else Initiative.objects.public())
        .select_related("commune__region")  # the région names the JSON-LD address
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("pk", "slug")))
    )
    return exports.by_chunks(queryset)


def row(initiative: Initiative, base_url: str) -> dict:
    """The export's columns for one initiative (lists for themes and links)."""
    i, email = initiative, initiative.email if initiative.email_public else ""
    return {
        "id": i.pk, "nom": i.name, "resume": i.summary, "description": i.description,
        "themes": sorted(t.slug for t in i.themes.all()), "adresse": i.address,
        "code_postal": i.postal_code, "commune": i.commune.name if i.commune_id else "",
        "code_insee": i.commune_id or "", "latitude": _coordinate(i.latitude),
        "longitude": _coordinate(i.longitude), "localisation": i.geocoding,
        "site_web": i.website, "email": email, "email_public": bool(email),
        "telephone": i.phone, "reseaux_sociaux": list(i.social_links or []),
        "horaires": i.opening_hours, "forme_juridique": i.legal_form, "siret": i.siret,
        "rna": i.rna, "structure": i.organisation_name, "licence": i.licence,
        "url": base_url + i.get_absolute_url(), "date_maj": i.updated_at.isoformat(),
    }  # fmt: skip


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def csv_lines(base_url: str) -> Iterator[str]:
    return exports.csv_lines(COLUMNS, (row(i, base_url) for i in public_initiatives()))


def geojson_chunks(base_url: str) -> Iterator[str]:
    """An RFC 7946 FeatureCollection, one feature per line."""
    head = json.dumps({"type": "FeatureCollection", "licence": str(DEFAULT_LICENCE)})
    yield head[:-1] + ', "features": [\n'
    separator = ""
    for initiative in public_initiatives():
        yield separator + json.dumps(feature(initiative, base_url), ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def feature(initiative: Initiative, base_url: str) -> dict:
    properties = row(initiative, base_url)
    lat, lon = properties.pop("latitude"), properties.pop("longitude")
    geometry = None if lat is None else {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "id": initiative.pk, "geometry": geometry, "properties": properties}


def jsonld_chunks(base_url: str) -> Iterator[str]:
    """A schema.org ItemList of LocalBusiness (with an address) or Organization."""
    head = {"@context": "https://schema.org", "@type": "ItemList",
            "license": licences.url(DEFAULT_LICENCE)}  # fmt: skip
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "itemListElement": [\n'
    separator = ""
    for position, initiative in enumerate(public_initiatives(), start=1):
        item = {"@type": "ListItem", "position": position, "item": thing(initiative, base_url)}
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def thing(initiative: Initiative, base_url: str) -> dict:
    """The detail page's own schema.org document (one description of an initiative, the same
    ``@id`` in both places), with the record's licence."""
    url = base_url + initiative.get_absolute_url()
    data = initiative_document(initiative, url=url)
    del data["@context"]  # given once, on the ItemList
    return data | {"license": licences.url(initiative.licence)}
