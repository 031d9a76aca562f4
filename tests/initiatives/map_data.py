"""Initiatives for the map tests: placed by hand, public unless told otherwise."""

import itertools

from essaim.initiatives.models import Initiative
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme

_numbers = itertools.count(1)


def make_initiative(*, lon=0.6848, lat=47.3941, status=Status.PUBLISHED, themes=(), **extra):
    number = next(_numbers)
    extra.setdefault("commune_id", "37261")
    initiative = Initiative.objects.create(
        name=extra.pop("name", f"Initiative {number}"),
        slug=f"initiative-{number}",
        summary="Une initiative de test.",
        latitude=lat,
        longitude=lon,
        status=status,
        **extra,
    )
    if themes:
        initiative.themes.set(themes)
    return initiative


def make_theme(slug, parent=None):
    return Theme.objects.create(name=slug.capitalize(), slug=slug, parent=parent)


def scatter(count, *, lon=0.5, lat=47.0, step=0.07, **extra):
    """``count`` initiatives on a diagonal grid across Touraine and beyond."""
    return [
        make_initiative(lon=lon + step * (i % 7), lat=lat + step * (i // 7), **extra)
        for i in range(count)
    ]
