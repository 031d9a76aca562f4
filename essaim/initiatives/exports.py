"""Open-data downloads of the public initiatives: CSV, GeoJSON (RFC 7946), schema.org JSON-LD.

Rows come from ``Initiative.objects.public()`` in keyset chunks (two queries per chunk,
whatever the number of rows), and are written out as they come. Column names are the
import's own (``imports.columns.COLUMNS``): an export re-imports to identical records.
E-mail addresses appear only where the owner made them public; never ``submitter_email``.
"""

import json
import re
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Prefetch
from django.urls import reverse

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


# The columns of the CSV and GeoJSON, read as plain values: model instances, their related
# managers and a reverse() per row made a million-row export take minutes.
ROW_FIELDS = ("pk", "name", "summary", "description", "address", "postal_code",
              "commune__name", "commune_id", "latitude", "longitude", "geocoding", "website",
              "email", "email_public", "phone", "social_links", "opening_hours", "legal_form",
              "siret", "rna", "organisation_name", "licence", "slug", "updated_at")  # fmt: skip
SIMPLE_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def public_rows(base_url: str) -> Iterator[dict]:
    """The export's columns for every public initiative, by ascending id: keyset chunks of
    values, and the chunk's theme slugs in one query."""
    through = Initiative.themes.through
    queryset = Initiative.objects.public().order_by("pk").values_list(*ROW_FIELDS)
    url_of = _detail_urls(base_url)
    last = 0
    while chunk := list(queryset.filter(pk__gt=last)[: exports.CHUNK]):
        first, last = chunk[0][0], chunk[-1][0]
        themes = defaultdict(list)
        links = through.objects.filter(initiative_id__gte=first, initiative_id__lte=last)
        for pk, slug in links.values_list("initiative_id", "theme__slug").order_by():
            themes[pk].append(slug)
        for values in chunk:
            yield _row(values, themes.get(values[0], []), url_of)


def _detail_urls(base_url: str):
    """slug -> absolute URL of the detail page: reverse() once, then formatting."""
    marker = "slug-marker"
    head, tail = reverse("initiatives:detail", kwargs={"slug": marker}).split(marker)

    def url_of(slug: str) -> str:
        if SIMPLE_SLUG.fullmatch(slug):
            return f"{base_url}{head}{slug}{tail}"
        return base_url + reverse("initiatives:detail", kwargs={"slug": slug})

    return url_of


def _row(values: tuple, themes: list[str], url_of) -> dict:
    (pk, name, summary, description, address, postal_code, commune_name, commune_id, lat,
     lon, geocoding, website, email, email_public, phone, social_links, opening_hours,
     legal_form, siret, rna, organisation_name, licence, slug, updated_at) = values  # fmt: skip
    email = email if email_public else ""
    return {
        "id": pk, "nom": name, "resume": summary, "description": description,
        "themes": sorted(themes), "adresse": address,
        "code_postal": postal_code, "commune": commune_name if commune_id else "",
        "code_insee": commune_id or "", "latitude": _coordinate(lat),
        "longitude": _coordinate(lon), "localisation": geocoding,
        "site_web": website, "email": email, "email_public": bool(email),
        "telephone": phone, "reseaux_sociaux": list(social_links or []),
        "horaires": opening_hours, "forme_juridique": legal_form, "siret": siret,
        "rna": rna, "structure": organisation_name, "licence": licence,
        "url": url_of(slug), "date_maj": updated_at.isoformat(),
    }  # fmt: skip


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def csv_lines(base_url: str) -> Iterator[str]:
    return exports.csv_lines(COLUMNS, public_rows(base_url))


def geojson_chunks(base_url: str) -> Iterator[str]:
    """An RFC 7946 FeatureCollection, one feature per line."""
    head = json.dumps({"type": "FeatureCollection", "licence": str(DEFAULT_LICENCE)})
    yield head[:-1] + ', "features": [\n'
    separator = ""
    for properties in public_rows(base_url):
        yield separator + json.dumps(feature(properties), ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def feature(properties: dict) -> dict:
    """One GeoJSON feature from the export's columns (coordinates become the geometry)."""
    pk = properties["id"]
    lat, lon = properties.pop("latitude"), properties.pop("longitude")
    geometry = None if lat is None else {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "id": pk, "geometry": geometry, "properties": properties}


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
