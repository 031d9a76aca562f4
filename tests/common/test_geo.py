import pytest

from essaim.common.geo import (
    WORLD_REF,
    BBoxError,
    distance_m,
    from_ref_pixel,
    parse_bbox,
    parse_zoom,
    to_ref_pixel,
)


def test_bbox_parses_west_south_east_north():
    bbox = parse_bbox("1.2,47.1,1.9,47.6")
    assert (bbox.west, bbox.south, bbox.east, bbox.north) == (1.2, 47.1, 1.9, 47.6)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "quatre nombres"),
        ("1,2,3", "quatre nombres"),
        ("a,47,2,48", "des nombres"),
        ("nan,47,2,48", "non finie"),
        ("-181,47,2,48", "longitudes"),
        ("1,47,181,48", "longitudes"),
        ("1,-91,2,48", "latitudes"),
        ("1,47,2,95", "latitudes"),
        ("170,-10,-170,10", "antiméridien"),
        ("1,48,2,47", "sud"),
    ],
)
def test_bad_bbox_is_refused_with_its_reason(text, reason):
    with pytest.raises(BBoxError, match=reason):
        parse_bbox(text)


@pytest.mark.parametrize("text", ["-1", "21", "x", None, "1.5"])
def test_zoom_out_of_range_or_not_an_integer_is_refused(text):
    with pytest.raises(ValueError, match="zoom"):
        parse_zoom(text, maximum=20)


def test_projection_round_trips_to_a_few_centimetres():
    x, y = to_ref_pixel(0.6848, 47.3941)  # Tours
    lon, lat = from_ref_pixel(x + 0.5, y + 0.5)
    assert distance_m(lon, lat, 0.6848, 47.3941) < 0.2


def test_projection_puts_null_island_at_the_world_centre_and_clamps_the_poles():
    assert to_ref_pixel(0, 0) == (WORLD_REF // 2, WORLD_REF // 2)
    assert to_ref_pixel(-180, 90) == (0, 0)
    assert to_ref_pixel(180, -90) == (WORLD_REF - 1, WORLD_REF - 1)


def test_distance_between_tours_and_orleans_is_about_105_km():
    assert distance_m(0.6848, 47.3941, 1.9093, 47.9030) == pytest.approx(105_000, rel=0.03)


def test_distance_is_in_metres():
    from essaim.common.geo import distance_m

    one_metre = 1 / 111_320  # of latitude, in degrees
    assert distance_m(0.68, 47.39, 0.68, 47.39 + 100 * one_metre) == pytest.approx(100, rel=0.01)


def test_box_around_encloses_the_circle():
    from essaim.common.geo import box_around, distance_m

    (south, north), (west, east) = box_around(0.68, 47.39, 5000)
    assert distance_m(0.68, 47.39, 0.68, north) == pytest.approx(5000, rel=0.001)
    assert distance_m(0.68, 47.39, east, 47.39) == pytest.approx(5000, rel=0.01)
    assert south < 47.39 < north and west < 0.68 < east
