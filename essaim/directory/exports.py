"""Open-data downloads of the directory, streamed from ``public()`` rows by chunks.

- organisations: CSV, JSON, schema.org JSON-LD (``/donnees/organisations.<fmt>``);
- data·inclusion "structures" (CSV, JSON) where our fields match theirs
  (``/donnees/structures-data-inclusion.<fmt>``);
- people: listed profiles, each field only where its owner made it public
  (``/donnees/personnes.<csv|json>``).
E-mail addresses and phone numbers appear only where their owner made them public.
"""

import json
from collections.abc import Iterator

from django.db.models import Prefetch

from essaim.common import exports, licences
from essaim.directory import structured_data
from essaim.directory.models import Organisation, PersonProfile
from essaim.taxonomy.models import Theme

LICENCE = licences.DATA_DEFAULT
SOURCE = "essaim"

COLUMNS = [
    "id",
    "nom",
    "type",
    "forme_juridique",
    "siret",
    "rna",
    "resume",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "latitude",
    "longitude",
    "themes",
    "site_web",
    "reseaux_sociaux",
    "email",
    "telephone",
    "licence",
    "url",
    "date_maj",
]
DATA_INCLUSION_COLUMNS = [
    "id",
    "siret",
    "rna",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "latitude",
    "longitude",
    "telephone",
    "courriel",
    "site_web",
    "presentation_resume",
    "presentation_detail",
    "thematiques",
    "date_maj",
    "source",
    "lien_source",
]
PERSON_COLUMNS = ["nom", *PersonProfile.VISIBLE_FIELDS, "url"]


def public_organisations() -> Iterator[Organisation]:
    queryset = (
        Organisation.objects.public()
        .select_related("commune")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("pk", "slug")))
    )
    return exports.by_chunks(queryset)


def row(o: Organisation, base_url: str) -> dict:
    return {
        "id": o.pk,
        "nom": o.name,
        "type": o.kind,
        "forme_juridique": o.legal_form,
        "siret": o.siret,
        "rna": o.rna,
        "resume": o.summary,
        "adresse": o.address,
        "code_postal": o.postal_code,
        "commune": o.commune.name if o.commune_id else "",
        "code_insee": o.commune_id or "",
        "latitude": _coordinate(o.latitude),
        "longitude": _coordinate(o.longitude),
        "themes": sorted(t.slug for t in o.themes.all()),
        "site_web": o.website,
        "reseaux_sociaux": list(o.social_links or []),
        "email": o.public_email,
        "telephone": o.public_phone,
        "licence": o.licence,
        "url": base_url + o.get_absolute_url(),
        "date_maj": o.updated_at.isoformat(),
    }


def data_inclusion_row(o: Organisation, base_url: str) -> dict:
    """One structure in data·inclusion's schema (the fields we hold; others are absent)."""
    from essaim.common.html import strip_html

    return {
        "id": str(o.pk),
        "siret": o.siret or None,
        "rna": o.rna or None,
        "nom": o.name,
        "commune": o.commune.name if o.commune_id else None,
        "code_postal": o.postal_code or None,
        "code_insee": o.commune_id or None,
        "adresse": o.address or None,
        "latitude": _coordinate(o.latitude),
        "longitude": _coordinate(o.longitude),
        "telephone": o.public_phone or None,
        "courriel": o.public_email or None,
        "site_web": o.website or None,
        "presentation_resume": o.summary[:280] or None,
        "presentation_detail": strip_html(o.description) or None,
        "thematiques": sorted(t.slug for t in o.themes.all()),
        "date_maj": o.updated_at.date().isoformat(),
        "source": SOURCE,
        "lien_source": base_url + o.get_absolute_url(),
    }


def _coordinate(value):
    return None if value is None else round(value, 6)


def _json_array(items: Iterator[dict], head: dict, key: str) -> Iterator[str]:
    yield json.dumps(head, ensure_ascii=False)[:-1] + f', "{key}": [\n'
    separator = ""
    for item in items:
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def organisations_csv(base_url: str) -> Iterator[str]:
    return exports.csv_lines(COLUMNS, (row(o, base_url) for o in public_organisations()))


def organisations_json(base_url: str) -> Iterator[str]:
    rows = (row(o, base_url) for o in public_organisations())
    return _json_array(rows, {"licence": str(LICENCE)}, "organisations")


def organisations_jsonld(base_url: str) -> Iterator[str]:
    def items():
        for position, o in enumerate(public_organisations(), start=1):
            document = structured_data.organisation_document(o, url=base_url + o.get_absolute_url())
            del document["@context"]
            document = structured_data.with_licence(document, o)
            yield {"@type": "ListItem", "position": position, "item": document}

    head = {"@context": "https://schema.org", "@type": "ItemList", "license": licences.url(LICENCE)}
    return _json_array(items(), head, "itemListElement")


def structures_csv(base_url: str) -> Iterator[str]:
    rows = (data_inclusion_row(o, base_url) for o in public_organisations())
    return exports.csv_lines(DATA_INCLUSION_COLUMNS, rows)


def structures_json(base_url: str) -> Iterator[str]:
    """A JSON array of structures, as data·inclusion's API gives them."""
    yield "[\n"
    separator = ""
    for o in public_organisations():
        yield separator + json.dumps(data_inclusion_row(o, base_url), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def public_people() -> Iterator[PersonProfile]:
    queryset = PersonProfile.objects.public().prefetch_related(
        "themes", "communes__departement", "departements"
    )
    return exports.by_chunks(queryset)


def person_row(profile: PersonProfile, base_url: str) -> dict:
    """A listed person's public fields; every other field is empty."""
    shown = profile.visible_values(signed_in=False)
    values = {field: shown.get(field, "") for field in PersonProfile.VISIBLE_FIELDS}
    return {"nom": profile.name, **values, "url": base_url + profile.get_absolute_url()}


def people_csv(base_url: str) -> Iterator[str]:
    return exports.csv_lines(PERSON_COLUMNS, (person_row(p, base_url) for p in public_people()))


def people_json(base_url: str) -> Iterator[str]:
    rows = (person_row(p, base_url) for p in public_people())
    return _json_array(rows, {"licence": str(LICENCE)}, "personnes")


DOWNLOADS = {
    "organisations.csv": (organisations_csv, "text/csv; charset=utf-8"),
    "organisations.json": (organisations_json, "application/json"),
    "organisations.jsonld": (organisations_jsonld, "application/ld+json"),
    "structures-data-inclusion.csv": (structures_csv, "text/csv; charset=utf-8"),
    "structures-data-inclusion.json": (structures_json, "application/json"),
    "personnes.csv": (people_csv, "text/csv; charset=utf-8"),
    "personnes.json": (people_json, "application/json"),
}
