"""Server-rendered charts: the numbers → geometry for SVG templates, no JavaScript.

Every chart a page draws is also given as a table and a CSV download by its page: the
SVG is a picture (``role="img"``), the table is what assistive technologies read.
"""

import math
from dataclasses import dataclass

CLASSES = 4  # choropleth shades besides "none"


def class_breaks(counts: list[int], classes: int = CLASSES) -> list[int]:
    """Upper bounds of the classes of non-zero counts (quantiles, the last one the maximum),
    so that a handful of items and a million both spread over the legend's shades."""
    values = sorted(count for count in counts if count > 0)
    if not values:
        return []
    bounds = {values[max(0, len(values) * step // classes - 1)] for step in range(1, classes)}
    return sorted(bounds | {values[-1]})


def shade(value: int, breaks: list[int]) -> int:
    """0 for nothing, else the 1-based class of ``value``."""
    if value <= 0:
        return 0
    return next((n for n, bound in enumerate(breaks, start=1) if value <= bound), len(breaks))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: float
    width: float  # of the bar, in the bars' area (0..BAR_AREA)
    text_y: float


BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, BAR_AREA = 22, 8, 220, 340


def bars(rows: list[tuple[str, int]]) -> tuple[list[Bar], int]:
    """Horizontal bars, longest = BAR_AREA; returns the bars and the chart's height."""
    top = max((value for _, value in rows), default=0) or 1
    step = BAR_HEIGHT + BAR_GAP
    shapes = [Bar(label, value, y=n * step, width=round(BAR_AREA * value / top, 1),
                  text_y=n * step + BAR_HEIGHT * 0.72)
              for n, (label, value) in enumerate(rows)]  # fmt: skip
    return shapes, max(len(rows) * step - BAR_GAP, 0)


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: float
    y: float
    height: float


COLUMN_WIDTH, COLUMN_GAP, COLUMN_AREA = 18, 6, 160


def columns(rows: list[tuple[str, int]]) -> tuple[list[Column], int]:
    """Vertical columns (a time series), tallest = COLUMN_AREA; returns them and the width."""
    top = max((value for _, value in rows), default=0) or 1
    step = COLUMN_WIDTH + COLUMN_GAP
    shapes = []
    for n, (label, value) in enumerate(rows):
        height = round(COLUMN_AREA * value / top, 1)
        shapes.append(Column(label, value, x=n * step, y=COLUMN_AREA - height, height=height))
    return shapes, max(len(rows) * step - COLUMN_GAP, 0)


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    value: int
    shade: int
    path: str


def choropleth(features: list[dict], values: dict[str, int], width: int = 480):
    """SVG paths of GeoJSON (Multi)Polygons, shaded by ``values`` (code → count).

    An equirectangular projection scaled by the cosine of the mean latitude: at the
    scale of a région or a département the distortion is invisible. Returns the areas,
    the viewBox height and the class breaks (for the legend).
    """
    rings = [(f, ring) for f in features for ring in _rings(f["geometry"])]
    if not rings:
        return [], 0, []
    lons = [lon for _, ring in rings for lon, _ in ring]
    lats = [lat for _, ring in rings for _, lat in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    ratio = math.cos(math.radians((south + north) / 2))
    span_x = (east - west) * ratio or 1
    scale = width / span_x
    height = round((north - south) * scale)
    breaks = class_breaks([values.get(f["properties"]["code"], 0) for f in features])
    x_scale = ratio * scale

    def point(lon: float, lat: float) -> str:
        return f"{(lon - west) * x_scale:.1f},{(north - lat) * scale:.1f}"

    areas = []
    for feature in features:
        properties = feature["properties"]
        code = properties["code"]
        path = " ".join("M" + "L".join(point(*xy[:2]) for xy in ring) + "Z"
                        for ring in _rings(feature["geometry"]))  # fmt: skip
        value = values.get(code, 0)
        name = properties.get("name") or properties.get("nom") or code
        areas.append(Area(code, name, value, shade(value, breaks), path))
    return areas, height, breaks


def _rings(geometry: dict | None) -> list[list]:
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []
