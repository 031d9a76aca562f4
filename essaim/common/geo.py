"""Geometry helpers with no domain: bounding boxes, distances, Web-Mercator pixel math.

Points are projected once to integer "reference pixels": Web-Mercator world pixels at zoom
``REF_ZOOM`` with 256-pixel tiles (0 ≤ x, y < 2**28). Pixel coordinates at a lower zoom z
are then plain integer divisions (``x // 2**(REF_ZOOM - z)``), which SQLite and PostgreSQL
both compute without any extension.
"""

import math
from dataclasses import dataclass

REF_ZOOM = 20
TILE_SIZE = 256
WORLD_REF = TILE_SIZE << REF_ZOOM  # 2**28 reference pixels around the world
MAX_LATITUDE = 85.05112878  # Web-Mercator's square world stops here
EARTH_RADIUS_M = 6_371_008.8


class BBoxError(ValueError):
    """A bounding box that cannot be used; the message says why, in French for visitors."""


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def ref_pixels(self) -> tuple[int, int, int, int]:
        """(x_min, y_min, x_max, y_max) in reference pixels (y grows southwards)."""
        x_min, y_max = to_ref_pixel(self.west, self.south)
        x_max, y_min = to_ref_pixel(self.east, self.north)
        return x_min, y_min, x_max, y_max


def parse_bbox(text: str) -> BBox:
    """Parse "W,S,E,N" (degrees, WGS 84); raise BBoxError with a clear reason otherwise.

    A box crossing the antimeridian (W > E) is refused: callers split it in two.
    """
    parts = (text or "").split(",")
    if len(parts) != 4:
        raise BBoxError("bbox doit contenir quatre nombres : ouest,sud,est,nord.")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise BBoxError("bbox doit contenir des nombres (ex. 1.2,47.1,1.9,47.6).") from None
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        raise BBoxError("bbox contient une valeur non finie.")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BBoxError("Les longitudes de bbox doivent être entre -180 et 180.")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BBoxError("Les latitudes de bbox doivent être entre -90 et 90.")
    if west > east:
        raise BBoxError("bbox traverse l'antiméridien (ouest > est) : découpez-la en deux.")
    if south > north:
        raise BBoxError("Dans bbox, le sud doit être inférieur au nord.")
    return BBox(west, south, east, north)


def parse_zoom(text: str, *, maximum: int = 20) -> int:
    try:
        zoom = int(text)
    except (TypeError, ValueError):
        raise ValueError(f"zoom doit être un entier entre 0 et {maximum}.") from None
    if not 0 <= zoom <= maximum:
        raise ValueError(f"zoom doit être un entier entre 0 et {maximum}.")
    return zoom


def to_ref_pixel(lon: float, lat: float) -> tuple[int, int]:
    """Web-Mercator reference pixel of a WGS 84 point (latitudes clamped to the square world)."""
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    x = (lon + 180.0) / 360.0
    sin_lat = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + sin_lat) / (1 - sin_lat)) / (4 * math.pi)
    clamp = WORLD_REF - 1
    return min(clamp, max(0, int(x * WORLD_REF))), min(clamp, max(0, int(y * WORLD_REF)))


def from_ref_pixel(x: float, y: float) -> tuple[float, float]:
    """(lon, lat) of a reference pixel, the inverse of ``to_ref_pixel``."""
    lon = x / WORLD_REF * 360.0 - 180.0
    n = math.pi - 2 * math.pi * y / WORLD_REF
    lat = math.degrees(math.atan(math.sinh(n)))
    return lon, lat


def divisor(zoom: int, cell_px: int = 1) -> int:
    """Reference pixels per ``cell_px`` pixels at ``zoom`` (a power of two)."""
    return (1 << (REF_ZOOM - zoom)) * cell_px


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def box_around(lon: float, lat: float, radius_m: float) -> tuple[tuple, tuple]:
    """(latitude range, longitude range) enclosing a circle: a cheap indexed pre-filter
    before the exact ``distance_m``."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return (lat - dlat, lat + dlat), (lon - dlon, lon + dlon)


def rounded(value: float, digits: int = 6) -> float:
    """RFC 7946 coordinates: six decimals are ~10 cm, plenty for a map."""
    return round(value, digits)
