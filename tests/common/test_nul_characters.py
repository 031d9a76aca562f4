"""NUL characters in an address are refused before any view: PostgreSQL cannot compare
text holding them (found by the schema-driven API fuzz run on PostgreSQL)."""

import pytest


@pytest.mark.django_db
def test_a_nul_in_an_api_parameter_is_a_400_naming_it(client):
    response = client.get("/api/v1/events", {"pres": "Tours\x00"})

    assert response.status_code == 400
    assert response.json() == {"error": "Paramètre « pres » invalide : caractère nul.",
                               "parameter": "pres"}  # fmt: skip


@pytest.mark.django_db
def test_a_nul_in_a_page_parameter_is_a_400_in_words(client):
    response = client.get("/agenda/", {"q": "vélo\x00"})

    assert response.status_code == 400
    assert "Paramètre « q » invalide" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_the_path_is_not_found(client):
    assert client.get("/api/v1/events/a%00b").status_code == 404
    assert client.get("/initiatives/a%00b/").status_code == 404
