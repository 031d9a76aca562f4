"""The one full-text query behind the public search, per database.

``candidates()`` returns, for every searchable type, a *window*: the first ``per_type``
index entries (modelsearch's tables) of that type that contain every term, in title or
body, and whose object an anonymous visitor may see now, each with its ``score`` (higher
is better). "First" is index order: FTS5 rowid order on SQLite, the table's physical order
on PostgreSQL (both roughly oldest entry first). A window stops the scan: a word found in
every document costs what a rare one does. All windows come back in one statement
(``UNION ALL``); ranking and paging across types happen over those rows in Python.
Each database's windows are in their own module: ``postgres_windows`` and
``sqlite_windows``.

Terms come from ``essaim.search.text.analyse``: word characters only, the same analysis
the index went through.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from modelsearch.conf import get_app_config

from essaim.search.registry import SearchType, Visibility

TITLE_WEIGHT = 4  # a word in the title weighs four in the body, on both databases


class Candidate(NamedTuple):
    content_type_id: int
    object_id: str  # the index stores primary keys as text
    entry_id: int  # ties between equal scores are broken by it, for stable pages
    score: float


def candidates(
    terms: list[str], search_types: list[SearchType], *, per_type: int
) -> list[Candidate]:
    """Up to ``per_type`` visible matches of each type of ``search_types``: pass only the
    types present in the index (``indexed_content_types``)."""
    if not search_types:
        return []
    if connection.vendor == "postgresql":
        from essaim.search import postgres_windows as windows
    else:
        from essaim.search import sqlite_windows as windows
    return windows.candidates(terms, search_types, per_type=per_type)


# Each process compiles a window once per shape (``window_sql``): building and compiling
# one with the ORM took ~1 ms, more than running it.
TEMPLATES_MAX = 1_000
_templates: dict[tuple, tuple[str, tuple]] = {}


def stand_in(name: str) -> str:
    """What a window's template holds in place of a search's own value (``window_sql``)."""
    return f"\x00{name}\x00"


def window_sql(
    key: tuple,
    search_type: SearchType,
    build: Callable[[Q], QuerySet],
    *,
    visibility: Visibility,
    values: dict[str, str],
) -> tuple[str, list]:
    """The SQL and parameters of one window. ``build(visible)`` makes its sliced queryset
    with ``stand_in(name)`` for each of ``values`` (terms, a block number…); ``key`` says
    everything else its SQL depends on but the type's visibility. The compiled template
    is kept when that visibility is fixed (``SearchType.visibility_is_fixed``); a page
    type's is kept under the restricted sections it was built from."""
    if search_type.is_page:
        key = (*key, visibility.restricted_sections)
    template = _templates.get(key)
    if template is None:
        compiler = build(visibility.of(search_type)).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        template = (sql, tuple(params))
        if search_type.visibility_is_fixed():
            if len(_templates) >= TEMPLATES_MAX:
                _templates.clear()
            _templates[key] = template
    sql, params = template
    return sql, [_filled(param, values) for param in params]


def _filled(param, values: dict[str, str]):
    if isinstance(param, str) and "\x00" in param:
        for name, value in values.items():
            param = param.replace(stand_in(name), value)
    return param


def forget() -> None:
    """Compile windows and read statistics again (tests)."""
    from essaim.search.postgres_windows import forget_statistics

    _templates.clear()
    forget_statistics()


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


def fetch_windows(windows: list[tuple[str, list]]) -> list[tuple]:
    """The rows of every window (``window_sql``), in one statement."""
    return _fetch_all(*_union_all(windows))


def _union_all(windows: list[tuple[str, list]]) -> tuple[str, list]:
    # Django refuses sliced querysets in a compound statement on SQLite; wrapping each one
    # in a sub-select is valid SQL on both databases.
    parts, params = [], []
    for sql, window_params in windows:
        parts.append(f"SELECT * FROM ({sql}) AS window_{len(parts)}")  # noqa: S608 (compiled by Django, parameters apart)
        params.extend(window_params)
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
