import pytest

from essaim.common.geo import parse_bbox
from essaim.initiatives import clustering
from essaim.initiatives.clustering import MapFilter
from essaim.initiatives.models import MapCell, MapPoint
from essaim.moderation import services
from essaim.moderation.models import Status
from essaim.territories.territory import resolve_territory
from tests.initiatives.map_data import make_initiative, make_theme, scatter

pytestmark = pytest.mark.django_db
FRANCE = parse_bbox("-5.5,41,10,51.5")
WORLD = parse_bbox("-180,-85,180,85")


def cell_snapshot():
    return sorted(MapCell.objects.values_list("scope", "zoom", "cx", "cy", "count", "x_sum",
                                              "y_sum", "id_sum"))  # fmt: skip


def total(collection):
    return sum(f["properties"].get("count", 1) for f in collection["features"])


def ids_on_map(collection):
    return {f["properties"]["id"] for f in collection["features"] if "id" in f["properties"]}


@pytest.mark.parametrize("bulk", [False, True], ids=["per-point deltas", "set-based deltas"])
def test_incremental_cells_equal_a_full_rebuild(moderator, monkeypatch, bulk):
    if bulk:  # every change goes through the SQL path of large imports
        monkeypatch.setattr(clustering, "BULK_THRESHOLD", 0)
    food, bread = make_theme("alimentation"), make_theme("pain")
    bread.parent = food
    bread.save()
    initiatives = scatter(12, themes=[bread])
    make_initiative(status=Status.PENDING)
    services.reject(obj=initiatives[0], by=moderator, reason="Doublon")
    initiatives[1].delete()
    initiatives[2].themes.clear()
    moved = initiatives[3]
    moved.latitude, moved.longitude = 48.1, 1.3
    moved.save()
    clustering.refresh([i.pk for i in initiatives[4:]] + [initiatives[0].pk])  # no-op
    incremental = cell_snapshot()
    points = sorted(MapPoint.objects.values_list("initiative_id", "x", "y", "scopes", "label"))
    clustering.rebuild()
    assert cell_snapshot() == incremental
    assert (
        sorted(MapPoint.objects.values_list("initiative_id", "x", "y", "scopes", "label")) == points
    )
    assert MapPoint.objects.count() == 10
    assert MapCell.objects.filter(count__lte=0).count() == 0


@pytest.mark.parametrize("zoom", [0, 5, 8, 11, 13])
def test_cluster_counts_equal_public_initiatives_in_view(zoom):
    scatter(20)
    make_initiative(status=Status.PENDING)
    make_initiative(status=Status.PUBLISHED, is_hidden=True)
    view = clustering.map_features(bbox=FRANCE, zoom=zoom, filters=MapFilter())
    assert total(view) == 20


def test_a_lone_initiative_is_a_feature_with_its_name_link_and_themes():
    theme = make_theme("habitat")
    initiative = make_initiative(lon=3.0, lat=45.0, themes=[theme], name="La Ruche")
    view = clustering.map_features(bbox=WORLD, zoom=3, filters=MapFilter())
    [feature] = view["features"]
    assert feature["properties"] == {
        "id": initiative.pk,
        "name": "La Ruche",
        "url": f"/initiatives/{initiative.slug}/",
        "themes": ["habitat"],
    }
    lon, lat = feature["geometry"]["coordinates"]
    assert (round(lon, 5), round(lat, 5)) == (3.0, 45.0)


def test_pending_hidden_and_rejected_initiatives_never_reach_the_map(moderator):
    public = make_initiative()
    pending = make_initiative(status=Status.PENDING)
    hidden = make_initiative(is_hidden=True)
    reported = make_initiative()
    reported.is_hidden = True
    reported.save(update_fields=["is_hidden"])
    for zoom in (2, 16):
        view = clustering.map_features(bbox=FRANCE, zoom=zoom, filters=MapFilter())
        assert ids_on_map(view) == {public.pk}
        assert total(view) == 1
    assert not {pending.pk, hidden.pk, reported.pk} & set(
        MapPoint.objects.values_list("pk", flat=True)
    )


def test_publishing_then_rejecting_moves_the_counts(moderator):
    initiative = make_initiative(status=Status.PENDING)

    def view():
        return total(clustering.map_features(bbox=FRANCE, zoom=6, filters=MapFilter()))

    assert view() == 0
    services.publish(obj=initiative, by=moderator)
    assert view() == 1
    services.reject(obj=initiative, by=moderator, reason="Hors sujet")
    assert view() == 0


def test_moving_an_initiative_moves_its_cell():
    initiative = make_initiative(lon=0.68, lat=47.39)
    initiative.longitude, initiative.latitude = 7.75, 48.58  # Strasbourg
    initiative.save()
    west = clustering.map_features(bbox=parse_bbox("-2,46,2,49"), zoom=8, filters=MapFilter())
    east = clustering.map_features(bbox=parse_bbox("6,48,9,49"), zoom=8, filters=MapFilter())
    assert (total(west), total(east)) == (0, 1)


def test_theme_filter_includes_sub_themes_and_follows_theme_changes():
    food = make_theme("alimentation")
    bread = make_theme("pain", parent=food)
    housing = make_theme("habitat")
    baker = make_initiative(themes=[bread])
    builder = make_initiative(lon=1.0, themes=[housing])

    def on_food():
        return ids_on_map(
            clustering.map_features(bbox=FRANCE, zoom=16, filters=MapFilter(theme=food))
        )

    assert on_food() == {baker.pk}
    builder.themes.add(bread)
    assert on_food() == {baker.pk, builder.pk}
    assert total(clustering.map_features(bbox=FRANCE, zoom=4, filters=MapFilter(theme=food))) == 2
    bread.initiatives.remove(baker)
    assert on_food() == {builder.pk}


def test_territory_filters_keep_only_initiatives_inside():
    tours = make_initiative(commune_id="37261")
    orleans = make_initiative(lon=1.909, lat=47.903, commune_id="45234")
    paris = make_initiative(lon=2.35, lat=48.85, commune_id="75056")
    cases = {"37": {tours.pk}, "region-24": {tours.pk, orleans.pk}, "45234": {orleans.pk},
             "243700754": {tours.pk}, "75": {paris.pk}}  # fmt: skip
    for key, expected in cases.items():
        filters = MapFilter(territory=resolve_territory(key))
        assert (
            ids_on_map(clustering.map_features(bbox=FRANCE, zoom=15, filters=filters)) == expected
        )
        assert total(clustering.map_features(bbox=FRANCE, zoom=5, filters=filters)) == len(expected)


def test_text_filter_matches_names():
    wanted = make_initiative(name="Repair café de Tours")
    make_initiative(name="Jardin partagé")
    view = clustering.map_features(bbox=FRANCE, zoom=16, filters=MapFilter(q="repair"))
    assert ids_on_map(view) == {wanted.pk}


def test_a_dense_view_is_aggregated_under_the_caps():
    scatter(clustering.POINT_CAP + 5, step=0.0001)
    view = clustering.map_features(bbox=FRANCE, zoom=17, filters=MapFilter())
    assert len(view["features"]) < clustering.POINT_CAP
    assert total(view) == clustering.POINT_CAP + 5


def test_bulk_changes_signal_refreshes_the_map():
    from essaim.initiatives.models import Initiative
    from essaim.initiatives.signals import initiatives_changed

    initiatives = scatter(3)
    Initiative.objects.filter(pk__in=[i.pk for i in initiatives]).update(status=Status.ARCHIVED)
    initiatives_changed.send(sender=Initiative, ids=[i.pk for i in initiatives])
    assert total(clustering.map_features(bbox=FRANCE, zoom=6, filters=MapFilter())) == 0


def test_counts_per_departement_and_epci():
    make_initiative(commune_id="37261")
    make_initiative(commune_id="37261")
    make_initiative(lon=1.909, lat=47.903, commune_id="45234")
    assert clustering.counts_by_departement() == {"37": 2, "45": 1}
    assert clustering.counts_by_epci("24")["243700754"] == 2


def test_renaming_moving_and_deleting_themes_keeps_the_map_equal_to_a_rebuild(
    django_capture_on_commit_callbacks,
):
    food, bread, housing = make_theme("alimentation"), make_theme("pain"), make_theme("habitat")
    scatter(6, themes=[bread])
    scatter(3, lon=1.2, themes=[housing])
    with django_capture_on_commit_callbacks(execute=True):
        bread.parent = food  # the bakers now count under "alimentation" too
        bread.save()
    on_food = clustering.map_features(bbox=FRANCE, zoom=4, filters=MapFilter(theme=food))
    assert total(on_food) == 6
    with django_capture_on_commit_callbacks(execute=True):
        bread.slug = "boulangerie"
        bread.save()
        housing.delete()
    incremental = cell_snapshot()
    labels = set(MapPoint.objects.values_list("label", flat=True))
    clustering.rebuild()
    assert cell_snapshot() == incremental
    assert labels == set(MapPoint.objects.values_list("label", flat=True))
    assert sum('"boulangerie"' in label for label in labels) == 6
