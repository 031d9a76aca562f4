import pytest

pytestmark = pytest.mark.django_db


def test_autocomplete_returns_json_suggestions(client):
    response = client.get("/territoires/autocompletion/", {"q": "epain"})
    assert response.json()["results"] == [
        {
            "key": "37216",
            "label": "Saint-Épain (37)",
            "level": "commune",
            "url": "/territoires/37216/",
        }
    ]


def test_autocomplete_with_empty_query_suggests_nothing(client):
    assert client.get("/territoires/autocompletion/", {"q": " "}).json()["results"] == []


@pytest.mark.parametrize("query", ["Tours", "tours", "37261", "Tours (37)", "37000 — Tours"])
def test_go_redirects_to_the_one_territory_named(client, query):
    response = client.get("/territoires/aller/", {"q": query})
    assert (response.status_code, response["Location"]) == (302, "/territoires/37261/")


def test_go_lists_choices_when_the_query_is_ambiguous(client):
    response = client.get("/territoires/aller/", {"q": "Saint-Martin"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('href="/territoires/') >= 10


def test_go_says_when_nothing_matches(client):
    response = client.get("/territoires/aller/", {"q": "zzzzqqq"})
    assert "Aucun territoire ne correspond à « zzzzqqq »" in response.content.decode()


def test_home_page_loads_the_autocomplete_script_from_a_file(client):
    html = client.get("/").content.decode()
    assert '<script src="/static/js/territories.js" defer></script>' in html
    assert 'data-autocomplete-url="/territoires/autocompletion/"' in html
