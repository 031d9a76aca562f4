import pytest

from essaim.initiatives import clustering
from essaim.moderation.models import Status
from tests.initiatives.map_data import make_initiative, make_theme, scatter

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/initiatives"
FRANCE = "-5.5,41,10,51.5"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("zoom=5", "bbox"),
        ("bbox=170,-10,-170,10&zoom=5", "bbox"),
        ("bbox=1,2,3,200&zoom=5", "bbox"),
        (f"bbox={FRANCE}", "zoom"),
        (f"bbox={FRANCE}&zoom=25", "zoom"),
        (f"bbox={FRANCE}&zoom=5&theme=nope", "theme"),
        (f"bbox={FRANCE}&zoom=5&territoire=99999", "territoire"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(client, query, parameter):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["error"]


def test_view_is_geojson_with_clusters_and_initiatives(client):
    scatter(6, step=0.001)
    lone = make_initiative(lon=5.0, lat=45.0, name="Seule")
    make_initiative(status=Status.PENDING, lon=5.0, lat=45.0, name="En attente")
    response = client.get(f"{URL}?bbox={FRANCE}&zoom=6")
    data = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "crs" not in data
    [cluster] = [f for f in data["features"] if f["properties"].get("cluster")]
    [single] = [f for f in data["features"] if not f["properties"].get("cluster")]
    assert cluster["properties"]["count"] == 6
    assert cluster["properties"]["expansion_zoom"] == 8
    assert single["properties"]["id"] == lone.pk
    assert single["properties"]["name"] == "Seule"
    assert all(len(str(c).split(".")[-1]) <= 6 for c in single["geometry"]["coordinates"])


def test_etag_answers_304_until_the_map_changes(client):
    make_initiative()
    first = client.get(f"{URL}?bbox={FRANCE}&zoom=6")
    again = client.get(f"{URL}?bbox={FRANCE}&zoom=6", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    make_initiative(lon=1.5)
    changed = client.get(f"{URL}?bbox={FRANCE}&zoom=6", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert sum(f["properties"].get("count", 1) for f in changed.json()["features"]) == 2


def test_theme_filter_in_the_query(client):
    theme = make_theme("energie")
    wanted = make_initiative(themes=[theme])
    make_initiative(lon=1.2)
    data = client.get(f"{URL}?bbox={FRANCE}&zoom=16&theme=energie").json()
    assert [f["properties"]["id"] for f in data["features"]] == [wanted.pk]


def test_response_stays_under_100_kb_in_a_crowded_view(client, monkeypatch):
    monkeypatch.setattr(clustering, "POINT_CAP", 2000)
    long_name = "Une initiative au nom vraiment très long " * 4
    scatter(600, step=0.0004, name=long_name)
    response = client.get(f"{URL}?bbox=0.4,46.9,0.9,47.2&zoom=18")
    data = response.json()
    assert len(response.content) <= 100_000
    assert sum(f["properties"].get("count", 1) for f in data["features"]) == 600


def test_list_of_the_view_counts_and_names_public_initiatives(client):
    make_initiative(name="Bravo")
    make_initiative(name="Alpha", lon=0.7)
    make_initiative(name="Cachée", status=Status.PENDING)
    data = client.get(f"/api/v1/map/initiatives/list?bbox={FRANCE}&zoom=8").json()
    assert data["count"] == 2
    assert [item["name"] for item in data["results"]] == ["Alpha", "Bravo"]
    assert data["results"][0]["commune"] == "Tours"


@pytest.mark.parametrize("count", [1, 3])
def test_view_query_count_does_not_grow_with_initiatives(client, count, django_assert_num_queries):
    scatter(count, step=1.0)
    with django_assert_num_queries(4):  # version, cells or points, initiatives, themes
        client.get(f"{URL}?bbox={FRANCE}&zoom=16")


def test_counts_per_departement(client):
    make_initiative()
    assert client.get("/api/v1/map/departements").json() == {"counts": {"37": 1}}


LIST = "/api/v1/map/initiatives/list"


def names(client, query: str) -> list[str]:
    return [item["name"] for item in client.get(f"{LIST}?{query}").json()["results"]]


def test_list_of_the_view_sorts_by_name_recency_or_distance_to_the_centre(client):
    make_initiative(name="Bravo", lon=0.70, lat=47.40)
    make_initiative(name="Alpha", lon=0.90, lat=47.40)
    make_initiative(name="Charlie", lon=0.71, lat=47.41)
    make_initiative(name="Hors vue", lon=5.0, lat=45.0)
    view = "bbox=0.5,47.2,0.9,47.6&zoom=11"  # centred on 0.7, ~47.4
    assert names(client, view) == ["Alpha", "Bravo", "Charlie"]
    assert names(client, f"{view}&tri=nom") == ["Alpha", "Bravo", "Charlie"]
    assert names(client, f"{view}&tri=recent") == ["Charlie", "Alpha", "Bravo"]
    nearest = client.get(f"{LIST}?{view}&tri=distance").json()["results"]
    assert [(i["name"], i["distance_km"]) for i in nearest] == [
        ("Bravo", 0.0), ("Charlie", 1.3), ("Alpha", 15.1)
    ]  # fmt: skip


@pytest.mark.parametrize("cap", [clustering.LIST_CAP, 2])
def test_crowded_and_sparse_views_sort_alike(client, monkeypatch, cap):
    # Past LIST_CAP points the database sorts (indexes, widening squares); below, Python.
    monkeypatch.setattr(clustering, "LIST_CAP", cap)
    test_list_of_the_view_sorts_by_name_recency_or_distance_to_the_centre(client)


@pytest.mark.parametrize("cap", [clustering.LIST_CAP, 2])
def test_a_crowded_view_lists_only_its_own_initiatives_of_the_theme(client, monkeypatch, cap):
    monkeypatch.setattr(clustering, "LIST_CAP", cap)
    theme = make_theme("energie")
    for name, lon in (("Delta", 0.70), ("Bravo", 0.80), ("Echo", 0.75)):
        make_initiative(name=name, lon=lon, lat=47.40, themes=[theme])
    make_initiative(name="Alpha sans thème", lon=0.71, lat=47.41)
    make_initiative(name="Alpha hors vue", lon=5.0, lat=45.0, themes=[theme])
    make_initiative(name="Alpha en attente", lon=0.72, lat=47.40, themes=[theme],
                    status=Status.PENDING)  # fmt: skip
    view = "bbox=0.5,47.2,0.9,47.6&zoom=11&theme=energie"

    assert names(client, f"{view}&tri=nom") == ["Bravo", "Delta", "Echo"]
    assert names(client, f"{view}&tri=recent") == ["Echo", "Bravo", "Delta"]


@pytest.mark.parametrize("cap", [clustering.LIST_CAP, 2])
def test_nearest_search_widens_until_the_limit_is_certain(client, monkeypatch, cap):
    monkeypatch.setattr(clustering, "LIST_CAP", cap)
    # Twenty-five points in a row east of the centre: the first squares hold too few, the
    # answer must still be the twenty nearest, in order.
    scatter_row = [make_initiative(name=f"P{i:02}", lon=0.7 + 0.01 * i, lat=47.4)
                   for i in range(25)]  # fmt: skip
    make_initiative(name="Ouest", lon=0.45, lat=47.4)
    view = "bbox=0.0,47.0,1.4,47.8&zoom=9"
    got = names(client, f"{view}&tri=distance")
    assert got == [i.name for i in scatter_row[:20]]


def test_unknown_list_order_is_a_400_naming_the_parameter(client):
    response = client.get(f"{LIST}?bbox={FRANCE}&zoom=8&tri=hasard")
    assert response.status_code == 400
    assert response.json()["parameter"] == "tri"


@pytest.mark.parametrize("order", ["nom", "recent", "distance"])
@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(client, order, count, django_assert_max_num_queries):
    scatter(count, step=0.01)
    # version, points (and count), initiatives, themes; "distance" in a crowded view: up to
    # four widening squares
    with django_assert_max_num_queries(8 if order == "distance" else 5):
        response = client.get(f"{LIST}?bbox={FRANCE}&zoom=8&tri={order}")
    assert len(response.json()["results"]) == count
