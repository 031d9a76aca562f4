"""PostgreSQL's windows (``matching.candidates``): tsvector columns with GIN indexes.

A window is the first matches in the table's physical order. When every word of a query
is in many documents, its first matches are looked for in the table's first blocks by a
plain scan (the *head*), and the GIN indexes only serve what the head did not find (the
*tail*). Building a GIN bitmap of 100,000 matches costs ~9 ms a word, and the planner,
which assumes independent words, builds them for "atelier vélo" (two words that always
come together) where reading 11,000 rows finds the 1,001 of the window in 4 ms. Which
words are frequent comes from PostgreSQL's own statistics (``pg_stats``).
"""

import math
import time
from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from modelsearch.conf import get_app_config

from essaim.search.matching import TITLE_WEIGHT, Candidate, fetch_windows, stand_in, window_sql
from essaim.search.registry import SearchType, Visibility

HEAD_MARGIN = 2  # the head holds twice the rows the words' frequency says a window needs
HEAD_MAX_ROWS = 30_000  # ~8 ms of scan: past it, the GIN bitmaps are cheaper
# The GIN indexes serve the rarest word, and any word in less than this share of the
# entries; more frequent words are checked on the rows found ("amap tours": a bitmap of
# the 2,600 "tours" then a test of "amap", not a bitmap of the 100,000 "amap" as well).
INDEXED_MAX_SHARE = 0.02
STATISTICS_SECONDS = 300  # words' frequencies change with ANALYZE, which is not that often


def candidates(
    terms: list[str], search_types: list[SearchType], *, per_type: int
) -> list[Candidate]:
    """``matching.candidates`` on PostgreSQL."""
    statistics = _statistics()
    indexed = statistics.indexed_terms(terms)
    names = [f"term{number}" for number in range(len(terms))]
    shape = tuple(term in indexed for term in terms)  # which terms the GIN indexes look up
    visibility = Visibility()
    windows = []
    for search_type in search_types:
        content_type_id = search_type.content_type_id
        head_blocks = statistics.head_blocks(terms, content_type_id, per_type)

        def build(visible: Q, content_type_id=content_type_id, head=head_blocks > 0) -> QuerySet:
            stand_ins = [stand_in(name) for name in names]
            looked_up = {
                term for term, is_indexed in zip(stand_ins, shape, strict=True) if is_indexed
            }
            found = _entries(stand_ins, indexed=looked_up)
            scanned = _entries(stand_ins, indexed=set()) if head else None
            window = _window(found, scanned, content_type_id, visible, head=head)
            return window[:per_type]

        key = ("postgresql", content_type_id, per_type, shape, head_blocks > 0)
        values = dict(zip(names, terms, strict=True)) | {"block": str(head_blocks)}
        windows.append(window_sql(key, search_type, build, visibility=visibility, values=values))
    return [Candidate(*row) for row in fetch_windows(windows)]


def _entries(terms: list[str], *, indexed: set[str]) -> QuerySet:
    """Entries containing every term, with ``score`` (``ts_rank``, ``TITLE_WEIGHT``).
    Terms in ``indexed`` are tested with ``@@``, which the GIN indexes serve; the others
    with ``ts_match_vq``, the function behind ``@@``: the same test, which no index
    serves. Raw SQL: Django's search expressions took ~3 ms a search to build and
    compile, over every window."""
    index_entry = get_app_config().get_model("IndexEntry")
    table = connection.ops.quote_name(index_entry._meta.db_table)
    title, body = f"{table}.title", f"{table}.body"
    query = "plainto_tsquery('simple'::regconfig, %s)"

    def has(column: str, term: str) -> str:
        return f"{column} @@ {query}" if term in indexed else f"ts_match_vq({column}, {query})"

    # One condition per term keeps the GIN indexes on title and body usable.
    every_term = " AND ".join(f"({has(title, t)} OR {has(body, t)})" for t in terms)
    any_term = " || ".join([query] * len(terms))
    score = f"{TITLE_WEIGHT} * ts_rank({title}, {any_term}) + ts_rank({body}, {any_term})"
    return index_entry.objects.filter(
        RawSQL(every_term, [t for t in terms for _ in "tb"], output_field=BooleanField())  # noqa: S611 (terms are parameters)
    ).annotate(score=RawSQL(score, terms * 2, output_field=FloatField()))  # noqa: S611


def _window(
    found: QuerySet, scanned: QuerySet | None, content_type_id: int, visible: Q, *, head: bool
) -> QuerySet:
    """The window's rows in physical order; sliced by the caller. ``found``: the matching
    entries, through the GIN indexes (``_entries``); ``scanned``: the same, through no
    index, for a head of ``stand_in("block")`` blocks.

    Without a head, the planner picks, per type, the GIN indexes or the type's own entries
    (statistics). With one, its blocks are read first, and the tail (the GIN indexes) only
    runs if the head did not fill the window: ``UNION ALL`` reads its parts in order and
    stops at the LIMIT. Both ways read the table in block order (see docs/search.md for
    an open question on whole-suite runs).
    """
    fields = ("content_type_id", "object_id", "pk", "score")
    found = found.filter(visible, content_type_id=content_type_id).order_by()
    if not head:
        return found.values_list(*fields)
    scanned = scanned.filter(visible, content_type_id=content_type_id).order_by()
    head_rows = scanned.filter(_blocks("<")).values_list(*fields)
    return head_rows.union(found.filter(_blocks(">=")).values_list(*fields), all=True)


def _blocks(operator: str) -> RawSQL:
    """Rows in the head (``<``: a TID range scan of its blocks) or after it (``>=``)."""
    table = connection.ops.quote_name(get_app_config().get_model("IndexEntry")._meta.db_table)
    return RawSQL(  # noqa: S611 (a constant table name and operator; the block is a parameter)
        f"{table}.ctid {operator} %s::tid",
        [f"({stand_in('block')},0)"],
        output_field=BooleanField(),
    )


class TableStatistics(NamedTuple):
    """What ANALYZE last sampled of the index table, for choosing heads."""

    words: dict[str, float]  # word → share of entries with it, for the most common words
    types: dict[int, float]  # content type id → share of entries, for the most common types
    rows_per_block: float  # 0 when the table was never analysed
    read_at: float  # time.monotonic()

    def head_blocks(self, terms: list[str], content_type_id: int, per_type: int) -> int:
        """How many of the table's first blocks a window of ``content_type_id`` is read
        from before the GIN indexes, 0 for none: enough to hold ``HEAD_MARGIN`` windows,
        given the rarest word's share and the type's share of the entries (taken as
        independent), provided that is at most ``HEAD_MAX_ROWS`` rows. A word or a type
        missing from the statistics' most common is rare: no head."""
        density = min(self.words.get(term, 0.0) for term in terms)
        density *= self.types.get(content_type_id, 0.0)
        rows = HEAD_MARGIN * per_type / density if density else math.inf
        if rows > HEAD_MAX_ROWS or not self.rows_per_block:
            return 0
        return math.ceil(rows / self.rows_per_block)

    def indexed_terms(self, terms: list[str]) -> set[str]:
        """The terms the GIN indexes look up (``INDEXED_MAX_SHARE``)."""
        rarest = min(terms, key=lambda term: self.words.get(term, 0.0))
        return {rarest} | {t for t in terms if self.words.get(t, 0.0) < INDEXED_MAX_SHARE}


_table_statistics: TableStatistics | None = None


def _statistics() -> TableStatistics:
    """The index table's statistics (``pg_stats``: the most common lexemes of the title
    and body vectors, and content types; ``pg_class``: rows per block), read at most every
    ``STATISTICS_SECONDS`` by each process."""
    global _table_statistics  # noqa: PLW0603 (a per-process cache of the database's statistics)
    if _table_statistics and time.monotonic() - _table_statistics.read_at < STATISTICS_SECONDS:
        return _table_statistics
    table = get_app_config().get_model("IndexEntry")._meta.db_table
    words: dict[str, float] = {}
    with connection.cursor() as cursor:
        # The frequencies array ends with three summary numbers: unnest pairs them with
        # NULL words, left out. A word's share of "title or body" is at least the larger.
        cursor.execute(
            "SELECT u.word, u.share FROM pg_stats s, unnest("
            "s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(word, share) "
            "WHERE s.schemaname = current_schema() AND s.tablename = %s "
            "AND s.attname IN ('title', 'body') AND u.word IS NOT NULL",
            [table],
        )
        for word, share in cursor.fetchall():
            words[word] = max(share, words.get(word, 0.0))
        cursor.execute(
            "SELECT u.type, u.share FROM pg_stats s, unnest("
            "s.most_common_vals::text::int[], s.most_common_freqs) AS u(type, share) "
            "WHERE s.schemaname = current_schema() AND s.tablename = %s "
            "AND s.attname = 'content_type_id'",
            [table],
        )
        types = dict(cursor.fetchall())
        cursor.execute(
            "SELECT COALESCE(reltuples / NULLIF(relpages, 0), 0) FROM pg_class "
            "WHERE oid = %s::regclass",
            [connection.ops.quote_name(table)],
        )
        rows_per_block = max(0.0, cursor.fetchone()[0])
    _table_statistics = TableStatistics(words, types, rows_per_block, time.monotonic())
    return _table_statistics


def forget_statistics() -> None:
    """Read the statistics again on the next search (tests, after ANALYZE)."""
    global _table_statistics  # noqa: PLW0603
    _table_statistics = None
