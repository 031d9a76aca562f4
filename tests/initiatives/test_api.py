import pytest
from django.utils import timezone

from essaim.moderation.models import Status
from tests.initiatives.data_fixtures import (
    count_queries,
    make_initiative,
    themes_fixture,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/initiatives"


@pytest.fixture
def places(themes):
    tours = make_initiative(name="Tours solidaire", commune_id="37261", latitude=47.39,
                            longitude=0.69, themes=[themes[0]], email="x@p.example")  # fmt: skip
    bourges = make_initiative(name="Bourges en commun", commune_id="18033", latitude=47.08,
                              longitude=2.39, themes=[themes[1]], email="pub@b.example",
                              email_public=True)  # fmt: skip
    make_initiative(name="Attente", status=Status.PENDING)
    make_initiative(name="Cachée", is_hidden=True)
    return tours, bourges


def names(response) -> list[str]:
    return [r["name"] for r in response.json()["results"]]


def test_list_shows_public_initiatives_with_licence(client, places):
    data = client.get(URL).json()

    assert data["licence"] == "ODbL-1.0"
    assert data["count"] == 2
    assert [r["name"] for r in data["results"]] == ["Tours solidaire", "Bourges en commun"]
    assert data["results"][0]["email"] is None
    assert data["results"][1]["email"] == "pub@b.example"
    assert data["results"][0]["themes"] == ["alimentation"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=reemploi", ["Bourges en commun"]),
        ("territoire=37", ["Tours solidaire"]),
        ("territoire=region-24", ["Tours solidaire", "Bourges en commun"]),
        ("territoire=nulle-part", []),
        ("q=commun", ["Bourges en commun"]),
        ("bbox=0,47,1,48", ["Tours solidaire"]),
    ],
)
def test_list_filters(client, places, query, expected):
    assert names(client.get(f"{URL}?{query}")) == expected


def test_updated_since_filter(client, places):
    later = (timezone.now() + timezone.timedelta(minutes=1)).isoformat()
    assert names(client.get(URL, {"updated_since": later})) == []


def test_pagination_links_next_page(client, places):
    first = client.get(URL, {"page_size": 1, "theme": ""})

    assert names(first) == ["Tours solidaire"]
    next_url = first.json()["next"]
    assert first["Link"] == f'<{next_url}>; rel="next"'
    second = client.get(next_url)
    assert names(second) == ["Bourges en commun"]
    assert second.json()["next"] is None
    assert "Link" not in second


def test_detail_of_a_public_initiative(client, places):
    data = client.get(f"{URL}/{places[0].pk}").json()
    assert (data["name"], data["commune"], data["licence"]) == ("Tours solidaire", "Tours",
                                                                "ODbL-1.0")  # fmt: skip


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.ARCHIVED])
def test_detail_is_404_unless_public(client, status):
    hidden = make_initiative(name="Secret", status=status, submitter_email="s@x.example")
    response = client.get(f"{URL}/{hidden.pk}")
    assert response.status_code == 404
    assert b"Secret" not in response.content


def test_openapi_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/initiatives", "/api/v1/initiatives/{initiative_id}"} <= set(schema["paths"])
    assert "licence" in schema["components"]["schemas"]["InitiativePage"]["properties"]


def test_list_query_count_does_not_grow(client, themes):
    make_initiative(name="Une", themes=themes)
    one = count_queries(lambda: client.get(URL))
    for name in ("Deux", "Trois"):
        make_initiative(name=name, themes=themes, commune_id="37261")
    assert count_queries(lambda: client.get(URL)) == one
    assert len(client.get(URL).json()["results"]) == 3
