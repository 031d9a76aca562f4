"""Contours of territories, bundled in data/geo/ (simplified; sources in data/README.md).

Départements and régions cover France; EPCI and communes only the home région (their
full national contours would weigh tens of megabytes).
"""

import json
from functools import cache

from django.conf import settings


@cache
def features(name: str) -> list[dict]:
    """The features of ``data/geo/<name>`` ([] when that file is not bundled)."""
    path = settings.BASE_DIR / "data" / "geo" / name
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def departements() -> list[dict]:
    return features("departements.geojson")


def epcis() -> list[dict]:
    return features(f"epci-{settings.ESSAIM_REGION}.geojson")


def communes() -> list[dict]:
    return features(f"communes-{settings.ESSAIM_REGION}.geojson")
