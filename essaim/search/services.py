"""The public search: one ranked, paginated list across every searchable type.

``search()`` serves the /recherche/ page. Every query is bounded, whatever the number of
matches: one statement reads, for each type, a window of at most ``RESULTS_CAP`` + 1
visible matches with their score (``matching.candidates``); counts per type are the
window sizes, capped ("plus de 1 000"); the selected types' windows are ranked together
and paged in Python; then one query per type on the page loads the objects. A word found
in every document therefore costs what a rare one does, and page k always reads the same
windows as page 1, so pages follow each other. Past the cap, only the first
``RESULTS_CAP`` matches of a type (in index order) are ranked and paged: the page says so.
"""

from dataclasses import dataclass, field
from math import ceil
from typing import NamedTuple

from django.db.models import Model

from essaim.search.matching import Candidate, candidates, indexed_content_types
from essaim.search.registry import SearchType, content_types_known, searchable_types
from essaim.search.text import analyse

MAX_PER_PAGE = 100
RESULTS_CAP = 1000  # per type: counted, ranked and paged up to this many matches


@dataclass(frozen=True)
class SearchHit:
    object: Model
    type: SearchType
    title: str
    url: str
    summary: str


class TypeCount(NamedTuple):
    type: SearchType
    count: int  # at most RESULTS_CAP
    is_capped: bool  # more matches than ``count`` exist


@dataclass
class SearchResults:
    query: str
    page: int = 1
    per_page: int = 20
    total: int = 0  # matches among the selected types that can be paged through
    total_is_capped: bool = False  # one selected type has more than RESULTS_CAP matches
    hits: list[SearchHit] = field(default_factory=list)
    # Every type with a match, whatever the selection, biggest first.
    counts: list[TypeCount] = field(default_factory=list)
    cap: int = RESULTS_CAP  # the RESULTS_CAP this search used

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def next_page_number(self) -> int:
        return self.page + 1

    @property
    def previous_page_number(self) -> int:
        return self.page - 1

    @property
    def start_index(self) -> int:
        """The rank of the page's first hit, counting from 1."""
        return (self.page - 1) * self.per_page + 1

    @property
    def counts_total(self) -> int:
        """Matches across every type, whatever the selection (a floor if capped)."""
        return sum(type_count.count for type_count in self.counts)

    @property
    def counts_total_is_capped(self) -> bool:
        return any(type_count.is_capped for type_count in self.counts)


def search(query: str, *, types=None, page: int = 1, per_page: int = 20) -> SearchResults:
    """Public objects matching every word of ``query``; ``types`` limits to those keys."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    terms = analyse(query).split()
    all_types = searchable_types()
    if not terms or not all_types:
        return SearchResults(query=query, per_page=per_page)
    content_types_known(all_types)
    present = indexed_content_types()
    indexed = [t for t in all_types if t.content_type_id in present]
    windows = _by_type(candidates(terms, indexed, per_type=RESULTS_CAP + 1))
    counts = _counts(windows, all_types)
    selected = {t.content_type_id for t in all_types if types is None or t.key in types}
    ranked = _ranked(windows, selected)
    results = SearchResults(
        query=query,
        per_page=per_page,
        total=len(ranked),
        total_is_capped=any(c.is_capped for c in counts if c.type.content_type_id in selected),
        counts=counts,
        cap=RESULTS_CAP,
    )
    results.page = max(1, min(page, results.num_pages))
    start = (results.page - 1) * per_page
    results.hits = _hits(ranked[start : start + per_page], all_types)
    return results


def _by_type(rows: list[Candidate]) -> dict[int, list[Candidate]]:
    windows: dict[int, list[Candidate]] = {}
    for row in rows:
        windows.setdefault(row.content_type_id, []).append(row)
    return windows


def _counts(windows, all_types) -> list[TypeCount]:
    by_id = {search_type.content_type_id: search_type for search_type in all_types}
    counts = [
        TypeCount(by_id[ct], min(len(rows), RESULTS_CAP), len(rows) > RESULTS_CAP)
        for ct, rows in windows.items()
    ]
    return sorted(counts, key=lambda c: (-c.count, str(c.type.label)))


def _ranked(windows, selected: set[int]) -> list[Candidate]:
    """The selected types' windows (the sentinel past the cap left out), best first."""
    rows = [row for ct, rows in windows.items() if ct in selected for row in rows[:RESULTS_CAP]]
    return sorted(rows, key=lambda row: (-row.score, row.entry_id))


def _hits(rows: list[Candidate], all_types) -> list[SearchHit]:
    by_id = {search_type.content_type_id: search_type for search_type in all_types}
    pairs = [(row.content_type_id, row.object_id) for row in rows]
    objects = _objects(pairs, by_id)
    found = [(by_id[ct], objects.get((ct, object_id))) for ct, object_id in pairs]
    return [_hit(obj, search_type) for search_type, obj in found if obj is not None]


def _objects(rows, by_id) -> dict:
    """The page's objects, one query per type, keyed like the index rows."""
    wanted: dict[int, list[str]] = {}
    for content_type_id, object_id in rows:
        wanted.setdefault(content_type_id, []).append(object_id)
    objects = {}
    for content_type_id, ids in wanted.items():
        model = by_id[content_type_id].model
        for obj in model._default_manager.filter(pk__in=ids):
            objects[(content_type_id, str(obj.pk))] = obj
    return objects


def _hit(obj, search_type: SearchType) -> SearchHit:
    if search_type.is_page:
        title, url = obj.title, obj.get_url()
    else:
        title, url = str(obj), obj.get_absolute_url()
    return SearchHit(object=obj, type=search_type, title=title, url=url, summary=_summary(obj))


def _summary(obj) -> str:
    if hasattr(obj, "search_summary"):
        return obj.search_summary()
    return getattr(obj, "search_description", "") or ""
