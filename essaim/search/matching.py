"""The one full-text query behind the public search, per database.

``candidates()`` returns, for every searchable type, a *window*: the first ``per_type``
index entries (modelsearch's tables) of that type that contain every term, in title or
body, and whose object an anonymous visitor may see now, each with its ``score`` (higher
is better). "First" is index order: FTS5 rowid order on SQLite, the table's physical order
on PostgreSQL (both roughly oldest entry first). A window stops the scan: a word found in
every document costs what a rare one does. All windows come back in one statement
(``UNION ALL``); ranking and paging across types happen over those rows in Python.

Terms come from ``essaim.search.text.analyse``: word characters only, the same analysis
the index went through.
"""

import operator
from functools import reduce
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, Func, IntegerField, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from modelsearch.conf import get_app_config


class Candidate(NamedTuple):
    content_type_id: int
    object_id: str  # the index stores primary keys as text
    entry_id: int  # ties between equal scores are broken by it, for stable pages
    score: float


def candidates(terms: list[str], visible: dict[int, Q], *, per_type: int) -> list[Candidate]:
    """Up to ``per_type`` visible matches of each content type in ``visible``.

    ``visible`` maps a content type id to the condition on index entries that an
    anonymous visitor may see (``registry.visibility_conditions``); pass only the types
    present in the index (``indexed_content_types``).
    """
    entries = _matching_entries(terms)
    window = _sqlite_window if connection.vendor == "sqlite" else _postgres_window
    windows = [
        window(entries, content_type_id, visibility)
        .order_by()
        .values_list(*_entry_fields("content_type_id", "object_id"), "pk", "score")[:per_type]
        for content_type_id, visibility in visible.items()
    ]
    if not windows:
        return []
    return [Candidate(*row) for row in _fetch_all(*_union_all(windows))]


def indexed_content_types() -> set[int]:
    """The content types with at least one index entry: a loose index scan, one seek per
    type present. Building, compiling and planning a window for each of the 21 searchable
    types, most of them without any entry on a given site, cost ~30 ms a search."""
    table = connection.ops.quote_name(get_app_config().get_model("IndexEntry")._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE present(ct) AS (SELECT MIN(content_type_id) FROM {table} "  # noqa: S608 (a model's table name)
            f"UNION ALL SELECT (SELECT MIN(content_type_id) FROM {table} "
            "WHERE content_type_id > present.ct) FROM present WHERE present.ct IS NOT NULL) "
            "SELECT ct FROM present WHERE ct IS NOT NULL"
        )
        return {row[0] for row in cursor.fetchall()}


def _union_all(querysets: list[QuerySet]) -> tuple[str, list]:
    # Django refuses sliced querysets in a compound statement on SQLite; wrapping each one
    # in a sub-select is valid SQL on both databases.
    parts, params = [], []
    for queryset in querysets:
        sql, part_params = queryset.query.get_compiler(connection=connection).as_sql()
        parts.append(f"SELECT * FROM ({sql}) AS window_{len(parts)}")  # noqa: S608 (compiled by Django, parameters apart)
        params.extend(part_params)
    return " UNION ALL ".join(parts), params


def _fetch_all(sql: str, params: list) -> list[tuple]:
    if connection.vendor != "postgresql":
        # No transaction: SQLite's would be IMMEDIATE, taking the write lock to read.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    # "The first N matches" must be the same rows on every request, or page 2 would not
    # follow page 1: a sequential scan of a big table may start where another one stopped
    # (synchronised scans), and parallel workers return rows in any order. Both are
    # turned off for this one transaction.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('synchronize_seqscans', 'off', true), "
            "set_config('max_parallel_workers_per_gather', '0', true)"
        )
        cursor.execute(sql, params)
        return cursor.fetchall()


def entry_prefix() -> str:
    """The path from the model ``candidates`` reads to the index entry's fields."""
    return "" if connection.vendor == "postgresql" else "index_entry__"


def _entry_fields(*names: str) -> list[str]:
    return [entry_prefix() + name for name in names]


def _postgres_window(entries: QuerySet, content_type_id: int, visibility: Q) -> QuerySet:
    # The planner picks, per type, the GIN indexes or the type's own entries (statistics).
    return entries.filter(visibility, content_type_id=content_type_id)


def _sqlite_window(entries: QuerySet, content_type_id: int, visibility: Q) -> QuerySet:
    # FTS5 reads matches in rowid order (the index entry's id) and seeks to a rowid range:
    # reading only between the type's first and last entry (two index seeks) keeps a small
    # type from reading every match of a common word. The unary + keeps SQLite from
    # walking the type's entries and probing FTS5 for each (seconds for a big type).
    index_entry = get_app_config().get_model("IndexEntry")
    of_type = index_entry.objects.filter(content_type_id=content_type_id).values("pk")
    of_type_unindexed = Func(
        F("index_entry__content_type_id"), template="+%(expressions)s", output_field=IntegerField()
    )
    return (
        entries.filter(
            pk__gte=Subquery(of_type.order_by("pk")[:1]),
            pk__lte=Subquery(of_type.order_by("-pk")[:1]),
        )
        .alias(entry_type=of_type_unindexed)
        .filter(visibility, entry_type=content_type_id)
    )


def _matching_entries(terms: list[str]) -> QuerySet:
    """Entries containing every term, with ``score``."""
    if connection.vendor == "postgresql":
        return _postgres_entries(terms)
    return _sqlite_entries(terms)


def _sqlite_entries(terms: list[str]) -> QuerySet:
    from modelsearch.backends.database.sqlite.query import MatchExpression

    fts_entry = get_app_config().get_model("SQLiteFTSIndexEntry")
    phrases = " AND ".join(f'"{term}"' for term in terms)
    # FTS5 columns are (autocomplete, body, title): a title hit weighs four body hits.
    # A constant table name, no user input: S611 does not apply.
    score = RawSQL(f"-bm25({fts_entry._meta.db_table}, 0.0, 1.0, 4.0)", [])  # noqa: S611
    return fts_entry.objects.filter(MatchExpression(["title", "body"], Value(phrases))).annotate(
        score=score
    )


def _postgres_entries(terms: list[str]) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    index_entry = get_app_config().get_model("IndexEntry")
    queries = [SearchQuery(term, config="simple") for term in terms]
    # One condition per term keeps the GIN indexes on title and body usable.
    every_term = reduce(operator.and_, (Q(title=query) | Q(body=query) for query in queries))
    any_term = reduce(operator.or_, queries)
    score = 4 * SearchRank(F("title"), any_term) + SearchRank(F("body"), any_term)
    return index_entry.objects.filter(every_term).annotate(score=score)
