import csv
import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from essaim.initiatives.models import GeocodingState, ImportSource, Initiative
from essaim.moderation.models import Status
from tests.initiatives.data_fixtures import (
    count_queries,
    make_initiative,
    run_command,
    themes_fixture,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db
COMPARED = [
    "name", "slug", "summary", "description", "address", "postal_code", "commune_id",
    "latitude", "longitude", "geocoding", "email", "email_public", "phone", "website",
    "social_links", "opening_hours", "legal_form", "siret", "rna", "organisation_name",
    "licence", "status",
]  # fmt: skip


def download(client, fmt: str) -> str:
    response = client.get(reverse(f"initiatives:download-{fmt}"))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def collection(themes):
    source = ImportSource.objects.create(name="reseau", kind="csv")
    rich = make_initiative(
        name="Ressourcerie « Le Grenier »", summary="Réemploi; ateliers", themes=themes,
        description="Ligne 1\nLigne 2, avec \"guillemets\"", address="12 rue des Arts",
        postal_code="18000", commune_id="18033", latitude=47.081234, longitude=2.398765,
        email="public@grenier.example", email_public=True, phone="02 48 00 00 00",
        website="https://grenier.example", social_links=["https://social.example/@grenier"],
        opening_hours="Mo-Fr 09:00-18:00", legal_form="association", siret="12345678900012",
        rna="W181000001", organisation_name="Réseau des ressourceries",
        source=source, source_key="a",
    )  # fmt: skip
    plain = make_initiative(name="Café Élan", commune_id="37261", latitude=47.39427,
                            longitude=0.69494, geocoding=GeocodingState.COMMUNE,
                            email="prive@elan.example", source=source, source_key="b")  # fmt: skip
    make_initiative(name="En attente", status=Status.PENDING, submitter_email="anon@x.example")
    make_initiative(name="Masquée", is_hidden=True)
    return [rich, plain]


def snapshot() -> dict:
    rows = Initiative.objects.public().prefetch_related("themes").order_by("name")
    return {i.name: ({f: getattr(i, f) for f in COMPARED}, sorted(t.slug for t in i.themes.all()))
            for i in rows}  # fmt: skip


def test_csv_has_the_import_columns_and_only_public_rows(client, collection):
    rows = list(csv.DictReader(io.StringIO(download(client, "csv"))))

    assert [r["nom"] for r in rows] == ["Ressourcerie « Le Grenier »", "Café Élan"]
    assert rows[0]["themes"] == "alimentation;reemploi"
    assert rows[0]["email"] == "public@grenier.example"
    assert rows[1]["email"] == ""  # private address never exported
    assert rows[0]["url"].endswith(collection[0].get_absolute_url())


def test_exports_never_leak_pending_hidden_or_private_addresses(client, collection):
    for fmt in ("csv", "geojson", "jsonld"):
        body = download(client, fmt)
        for secret in ("En attente", "Masquée", "prive@elan.example", "anon@x.example"):
            assert secret not in body, (fmt, secret)


def test_geojson_is_a_feature_collection_with_licence_and_urls(client, collection):
    data = json.loads(download(client, "geojson"))

    assert (data["type"], data["licence"]) == ("FeatureCollection", "ODbL-1.0")
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [2.398765, 47.081234]}
    assert first["id"] == first["properties"]["id"] == collection[0].pk
    assert first["properties"]["url"].startswith("http://testserver/initiatives/")


def test_jsonld_is_a_schema_org_item_list(client, collection):
    data = json.loads(download(client, "jsonld"))

    assert data["@type"] == "ItemList"
    item = data["itemListElement"][0]["item"]
    assert (item["@type"], item["name"]) == ("LocalBusiness", "Ressourcerie « Le Grenier »")
    assert item["address"]["postalCode"] == "18000"
    assert "email" not in data["itemListElement"][1]["item"]


def page_jsonld(client, url: str) -> dict:
    html = client.get(urlsplit(url).path).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def test_every_public_initiative_is_the_same_schema_org_thing_in_the_export_and_its_page(
    client, collection
):
    make_initiative(name="Atelier </script><!-- & Co", commune_id="45234", latitude=47.9,
                    longitude=1.9, legal_form="collectif",
                    address="1 place du Martroi")  # fmt: skip
    export = json.loads(download(client, "jsonld"))
    items = [element["item"] for element in export["itemListElement"]]

    assert [item["name"] for item in items] == [
        "Ressourcerie « Le Grenier »", "Café Élan", "Atelier </script><!-- & Co"
    ]  # fmt: skip
    for item in items:
        assert item["url"].startswith("http://testserver/initiatives/")
        assert item["@id"] == item["url"] + "#initiative"
        assert item["address"]["@type"] == "PostalAddress"
        assert item["address"]["addressLocality"]
        assert {type(item["geo"][axis]) for axis in ("latitude", "longitude")} == {float}
        described = {key: value for key, value in item.items() if key != "license"}
        assert page_jsonld(client, item["url"]) == {"@context": "https://schema.org", **described}
        assert item["license"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    rich, plain, atelier = items
    assert (rich["@type"], plain["@type"], atelier["@type"]) == (
        "LocalBusiness", "LocalBusiness", "Organization"
    )  # fmt: skip
    assert rich["address"] == {"@type": "PostalAddress", "addressCountry": "FR",
                               "streetAddress": "12 rue des Arts", "postalCode": "18000",
                               "addressLocality": "Bourges",
                               "addressRegion": "Centre-Val de Loire"}  # fmt: skip
    assert rich["geo"] == {"@type": "GeoCoordinates", "latitude": 47.081234,
                           "longitude": 2.398765}  # fmt: skip
    assert rich["sameAs"] == ["https://grenier.example", "https://social.example/@grenier"]
    assert rich["openingHours"] == ["Mo-Fr 09:00-18:00"]
    assert rich["email"] == "public@grenier.example"
    assert "email" not in plain


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_export_reimports_to_identical_records(client, collection, tmp_path, fmt):
    Initiative.objects.filter(email_public=False).update(email="")  # never exported
    before = snapshot()
    (tmp_path / f"export.{fmt}").write_text(download(client, fmt), encoding="utf-8")
    Initiative.objects.all().delete()

    run_command(tmp_path / f"export.{fmt}", "--source", "reseau")

    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["csv", "geojson", "jsonld"])
def test_export_query_count_does_not_grow_with_rows(client, themes, fmt):
    make_initiative(name="Une", themes=themes)
    one = count_queries(lambda: download(client, fmt))
    for name in ("Deux", "Trois"):
        make_initiative(name=name, themes=themes, commune_id="37261")
    assert count_queries(lambda: download(client, fmt)) == one <= 4
