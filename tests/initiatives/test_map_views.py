import json

import pytest
from django.conf import settings

from essaim.common.charts import class_breaks
from essaim.moderation.models import Status
from essaim.territories.models import Commune
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


def place_in_tours_and_orleans():
    make_initiative(commune_id="37261")
    make_initiative(commune_id="37122", lon=0.654, lat=47.337)
    make_initiative(commune_id="45234", lon=1.909, lat=47.903)
    make_initiative(commune_id="45234", lon=1.909, lat=47.903, status=Status.PENDING)


def test_epci_contours_carry_public_counts_and_class_breaks(client):
    place_in_tours_and_orleans()
    collection = client.get("/carte/epci.geojson").json()
    properties = {f["properties"]["code"]: f["properties"] for f in collection["features"]}
    assert properties["243700754"] == {"code": "243700754", "name": "Tours Métropole Val de Loire",
                                       "count": 2}  # fmt: skip
    assert properties["244500468"]["count"] == 1
    assert sum(p["count"] for p in properties.values()) == 3
    assert collection["breaks"] == [1, 2]


def test_departement_contours_carry_a_name_and_class_breaks(client):
    place_in_tours_and_orleans()
    collection = client.get("/carte/departements.geojson").json()
    indre_et_loire = next(f for f in collection["features"] if f["properties"]["code"] == "37")
    assert indre_et_loire["properties"]["name"] == "Indre-et-Loire"
    assert collection["breaks"] == [1, 2]


@pytest.mark.parametrize(
    ("counts", "breaks"),
    [
        ([], []),
        ([0, 0], []),
        ([0, 7], [7]),
        ([3, 3, 3], [3]),
        (list(range(1, 101)), [25, 50, 75, 100]),
        ([1, 1, 1, 2, 40, 900], [1, 2, 900]),
    ],
)
def test_class_breaks_are_quantiles_of_non_zero_counts_ending_at_the_maximum(counts, breaks):
    assert class_breaks(counts) == breaks


def test_map_page_tables_give_the_choropleth_figures_with_links_to_the_list(client):
    place_in_tours_and_orleans()
    response = client.get("/carte/")
    html = response.content.decode()
    assert [(d.code, n) for d, n in response.context["departements"]] == [("37", 2), ("45", 1)]
    assert [(e.code, n) for e, n in response.context["epcis"]] == [
        ("244500468", 1), ("243700754", 2)
    ]  # fmt: skip
    assert '<a href="?territoire=243700754">Tours Métropole Val de Loire</a></th><td>2</td>' in html
    assert 'value="epci" data-url="/carte/epci.geojson"' in html


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("url", ["/carte/epci.geojson", "/carte/departements.geojson"])
def test_contours_query_count_does_not_grow(client, url, count, django_assert_num_queries):
    for _ in range(count):
        make_initiative(commune_id="45234", lon=1.909, lat=47.903)
    with django_assert_num_queries(2 if "epci" in url else 1):
        assert client.get(url).json()["breaks"] == [count]


def test_epci_choice_is_absent_when_no_epci_contours_are_bundled(client, settings):
    settings.ESSAIM_REGION = "84"
    response = client.get("/carte/")
    assert response.context["epcis"] is None
    assert 'value="epci"' not in response.content.decode()
    assert client.get("/carte/epci.geojson").json()["features"] == []


def test_bundled_epci_contours_cover_every_epci_of_the_region():
    path = settings.BASE_DIR / "data" / "geo" / "epci-24.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    in_region = set(Commune.objects.filter(region_id="24").values_list("epci_id", flat=True))
    assert {f["properties"]["code"] for f in features} == in_region
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}
    assert all(f["properties"]["name"] for f in features)
    assert path.stat().st_size < 1_500_000


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


def test_server_list_sorts_newest_first_or_by_name_and_keeps_filters_on_other_orders(client):
    for name in ("Bravo", "Alpha", "Charlie"):
        make_initiative(name=name)
    make_initiative(name="Ailleurs", commune_id="45234", lon=1.909, lat=47.903)

    def listed(query):
        response = client.get(f"/carte/?territoire=37261{query}")
        return [initiative.name for initiative in response.context["page"]["items"]]

    assert listed("") == ["Charlie", "Alpha", "Bravo"]
    assert listed("&tri=nom") == ["Alpha", "Bravo", "Charlie"]
    # "distance" needs the map (the script adds it): the server list falls back to newest.
    assert listed("&tri=distance") == ["Charlie", "Alpha", "Bravo"]
    html = client.get("/carte/?tri=nom").content.decode()
    assert '<option value="nom" selected>Par nom</option>' in html
