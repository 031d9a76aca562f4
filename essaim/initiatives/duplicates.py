"""Possible duplicates of an initiative: close by with a similar name, or the same SIRET/RNA.

GoGoCarto's rule: candidates within 200 m whose names look alike, plus exact matches on
identifiers, at most 20. Names are compared as accent-folded word sets (Dice coefficient,
words matching when nearly identical so that typos still count).
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Q

from essaim.common.geo import box_around, distance_m
from essaim.initiatives.models import Initiative
from essaim.moderation.models import Status
from essaim.territories.names import fold

RADIUS_METRES = 200
MAX_CANDIDATES = 20
NAME_THRESHOLD = 0.6
# Words too common in French names to say anything about likeness.
STOP_WORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le",
                        "les", "pour", "sur", "un", "une"})  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    initiative: Initiative
    reason: str  # "siret", "rna" or "proche"
    distance: float | None  # metres, when both have coordinates


def name_tokens(name: str) -> set[str]:
    return {word for word in fold(name).split() if word not in STOP_WORDS}


def name_similarity(a: str, b: str) -> float:
    """0 to 1: how alike two names are, ignoring accents, case, order and small words."""
    left, right = name_tokens(a), name_tokens(b)
    if not left or not right:
        return 0.0
    matched = sum(1 for word in left if any(_same_word(word, other) for other in right))
    return 2 * matched / (len(left) + len(right))


def _same_word(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 5 and SequenceMatcher(None, a, b).ratio() >= 0.85)


def find_duplicates(
    *,
    name: str,
    latitude: float | None = None,
    longitude: float | None = None,
    siret: str = "",
    rna: str = "",
    exclude_pk: int | None = None,
    include_pending: bool = True,
) -> list[Candidate]:
    """Public (and, for moderators, pending) initiatives that may be the same one.

    Identifier matches come first, then the nearest similar names; at most 20.
    """
    pool = _pool(include_pending).exclude(pk=exclude_pk)
    found: dict[int, Candidate] = {}
    for field, value in (("siret", siret), ("rna", rna)):
        for initiative in pool.filter(**{field: value})[:MAX_CANDIDATES] if value else ():
            found.setdefault(initiative.pk, Candidate(initiative, field, None))
    if latitude is not None and longitude is not None:
        for candidate in _nearby_similar(pool, name, latitude, longitude):
            found.setdefault(candidate.initiative.pk, candidate)
    return list(found.values())[:MAX_CANDIDATES]


def duplicates_of(initiative: Initiative, *, include_pending: bool = True) -> list[Candidate]:
    return find_duplicates(
        name=initiative.name, latitude=initiative.latitude, longitude=initiative.longitude,
        siret=initiative.siret, rna=initiative.rna, exclude_pk=initiative.pk,
        include_pending=include_pending,
    )  # fmt: skip


def _pool(include_pending: bool):
    visible = Q(status=Status.PUBLISHED, is_hidden=False)
    if include_pending:
        visible |= Q(status=Status.PENDING)
    return Initiative.objects.filter(visible).select_related("commune")


def _nearby_similar(pool, name: str, latitude: float, longitude: float) -> list[Candidate]:
    # A bounding box on the indexed columns first, then the exact distance in Python.
    lat_range, lon_range = box_around(longitude, latitude, RADIUS_METRES)
    nearby = pool.filter(latitude__range=lat_range, longitude__range=lon_range)
    candidates = []
    for initiative in nearby[:500]:
        distance = distance_m(longitude, latitude, initiative.longitude, initiative.latitude)
        if distance <= RADIUS_METRES and name_similarity(name, initiative.name) >= NAME_THRESHOLD:
            candidates.append(Candidate(initiative, "proche", round(distance)))
    return sorted(candidates, key=lambda c: c.distance)
