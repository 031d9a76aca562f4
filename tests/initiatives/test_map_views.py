import pytest

from essaim.moderation.models import Status
from tests.initiatives.map_data import make_initiative, make_theme

pytestmark = pytest.mark.django_db


def test_map_page_lists_public_initiatives_without_javascript(client):
    make_initiative(name="Repair café")
    make_initiative(name="Secret", status=Status.PENDING)
    response = client.get("/carte/")
    html = response.content.decode()
    assert "Repair café" in html
    assert "Secret" not in html
    assert 'data-api-url="/api/v1/map/initiatives"' in html
    assert "leaflet.js" in html


def test_map_page_filters_by_theme_territory_and_text(client):
    theme = make_theme("energie")
    make_initiative(name="Solaire de Tours", themes=[theme])
    make_initiative(name="Jardin de Tours")
    make_initiative(name="Solaire d'Orléans", themes=[theme], lon=1.9, lat=47.9,
                    commune_id="45234")  # fmt: skip
    response = client.get("/carte/?theme=energie&territoire=Tours (37)&q=solaire")
    page = response.context["page"]["items"]
    assert [initiative.name for initiative in page] == ["Solaire de Tours"]
    assert response.context["filter_query"] == "theme=energie&territoire=37261&q=solaire"


def test_unknown_territory_is_an_error_tied_to_its_field(client):
    response = client.get("/carte/?territoire=Nullepart-sur-Rien")
    html = response.content.decode()
    assert 'id="map-territory-error"' in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize("count", [1, 3])
def test_map_page_query_count_does_not_grow(client, count, django_assert_max_num_queries):
    for i in range(count):
        make_initiative(name=f"Initiative {i}", themes=[make_theme(f"t{count}-{i}")])
    with django_assert_max_num_queries(9):
        client.get("/carte/")


def test_only_the_embed_may_be_framed(client):
    embed = client.get("/carte/embed/?theme=")
    page = client.get("/carte/")
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors 'self' *" in embed["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'self';" in page["Content-Security-Policy"] + ";"


def test_departement_contours_carry_counts(client):
    make_initiative()
    features = client.get("/carte/departements.geojson").json()["features"]
    counts = {f["properties"]["code"]: f["properties"]["count"] for f in features}
    assert counts["37"] == 1
    assert counts["45"] == 0


def test_territory_and_theme_pages_show_their_initiatives(client):
    theme = make_theme("energie")
    make_initiative(name="Solaire de Tours", themes=[theme])
    make_initiative(name="Caché", themes=[theme], status=Status.PENDING)
    territory = client.get("/territoires/37/").content.decode()
    themed = client.get("/themes/energie/").content.decode()
    for html, query in ((territory, "territoire=37"), (themed, "theme=energie")):
        assert "Solaire de Tours" in html
        assert "Caché" not in html
        assert "1 initiative publiée." in html
        assert f'href="/carte/?{query}"' in html
