import csv
import io
import json

import pytest

from essaim.directory.models import Visibility
from essaim.moderation.models import Status
from tests.directory.conftest import SECRET_EMAIL, make_organisation, make_profile


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def organisations(db, themes):
    shown = make_organisation(
        "Publique",
        email=SECRET_EMAIL,
        phone="0102030405",
        themes=[themes["food"]],
        siret="73282932000074",
    )
    make_organisation("Courriel public", email="public@example.org", email_public=True)
    make_organisation("En attente", status=Status.PENDING)
    return shown


def test_the_csv_lists_public_organisations_without_private_contacts(client, organisations):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/donnees/organisations.csv")))))
    assert [row["nom"] for row in rows] == ["Publique", "Courriel public"]
    assert rows[0]["siret"] == "73282932000074" and rows[0]["code_insee"] == "37261"
    assert rows[0]["email"] == "" and rows[0]["telephone"] == ""
    assert rows[1]["email"] == "public@example.org"
    assert rows[0]["url"] == "http://testserver/annuaire/publique/"


def test_the_json_ld_is_an_item_list_of_organizations(client, organisations):
    document = json.loads(body(client.get("/donnees/organisations.jsonld")))
    items = [element["item"] for element in document["itemListElement"]]
    assert [item["@type"] for item in items] == ["Organization", "Organization"]
    assert "email" not in items[0] and items[1]["email"] == "public@example.org"
    assert items[0]["license"].startswith("https://")


def test_the_data_inclusion_structures_use_their_field_names(client, organisations):
    structures = json.loads(body(client.get("/donnees/structures-data-inclusion.json")))
    first = structures[0]
    assert first["nom"] == "Publique" and first["siret"] == "73282932000074"
    assert first["code_insee"] == "37261" and first["source"] == "essaim"
    assert first["courriel"] is None and first["telephone"] is None
    assert first["thematiques"] == ["alimentation"]
    assert first["lien_source"] == "http://testserver/annuaire/publique/"
    rows = list(
        csv.DictReader(io.StringIO(body(client.get("/donnees/structures-data-inclusion.csv"))))
    )
    assert rows[1]["courriel"] == "public@example.org"


def test_the_people_export_holds_public_fields_only(client, owner, outsider):
    make_profile(
        owner,
        "Alice",
        phone="0611223344",
        availability="Mardi",
        visibility={
            "phone": Visibility.HIDDEN,
            "availability": Visibility.MEMBERS,
            "skills": Visibility.PUBLIC,
        },
    )
    make_profile(outsider, "Pas listé", listed=False)
    text = body(client.get("/donnees/personnes.csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["nom"] for row in rows] == ["Alice"]
    assert rows[0]["skills"] == "comptabilité;gestion"
    assert "0611223344" not in text and "Mardi" not in text and "alice@" not in text


@pytest.mark.django_db
def test_export_query_count_does_not_grow(client, themes, django_assert_max_num_queries):
    for index in range(30):
        make_organisation(f"Orga {index}", themes=[themes["food"]])
    with django_assert_max_num_queries(4):
        body(client.get("/donnees/organisations.csv"))
