"""The public search: one ranked, paginated list across every searchable type.

``search()`` serves the /recherche/ page and, later, the JSON API. Every query is bounded:
one count per type, one page of index entries, one query per type present on the page.
"""

from dataclasses import dataclass, field
from math import ceil

from django.db.models import Count, Model

from essaim.search.matching import matching_entries
from essaim.search.registry import SearchType, searchable_types, visibility_filter
from essaim.search.text import analyse

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchHit:
    object: Model
    type: SearchType
    title: str
    url: str
    summary: str


@dataclass
class SearchResults:
    query: str
    page: int = 1
    per_page: int = 20
    total: int = 0  # matches among the selected types
    hits: list[SearchHit] = field(default_factory=list)
    # (type, count) for every type with a match, whatever the selection, biggest first.
    counts: list[tuple[SearchType, int]] = field(default_factory=list)

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
        """Matches across every type, whatever the selection."""
        return sum(count for _, count in self.counts)


def search(query: str, *, types=None, page: int = 1, per_page: int = 20) -> SearchResults:
    """Public objects matching every word of ``query``; ``types`` limits to those keys."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    terms = analyse(query).split()
    all_types = searchable_types()
    if not terms or not all_types:
        return SearchResults(query=query, per_page=per_page)
    entries, prefix = matching_entries(terms)
    entries = entries.filter(visibility_filter(all_types, prefix=prefix))
    counts = _counts(entries, prefix, all_types)
    selected = [t for t in all_types if types is None or t.key in types]
    total = sum(count for search_type, count in counts if search_type in selected)
    results = SearchResults(query=query, per_page=per_page, total=total, counts=counts)
    results.page = max(1, min(page, results.num_pages))
    results.hits = _hits(entries, prefix, selected, results)
    return results


def _counts(entries, prefix, all_types) -> list[tuple[SearchType, int]]:
    content_type = f"{prefix}content_type_id"
    rows = entries.values(content_type).annotate(n=Count("pk")).order_by()
    by_id = {search_type.content_type_id: search_type for search_type in all_types}
    counts = [(by_id[row[content_type]], row["n"]) for row in rows]
    return sorted(counts, key=lambda item: (-item[1], str(item[0].label)))


def _hits(entries, prefix, selected, results: SearchResults) -> list[SearchHit]:
    if not results.total:
        return []
    start = (results.page - 1) * results.per_page
    by_id = {search_type.content_type_id: search_type for search_type in selected}
    rows = list(
        entries.filter(**{f"{prefix}content_type_id__in": list(by_id)})
        .order_by("-score", "pk")
        .values_list(f"{prefix}content_type_id", f"{prefix}object_id")[
            start : start + results.per_page
        ]
    )
    objects = _objects(rows, by_id)
    found = [(by_id[ct], objects.get((ct, object_id))) for ct, object_id in rows]
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
