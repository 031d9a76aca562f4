"""Bulk SQL for imports and the map rebuild: the engine-specific code, in one place.

- ``insert_rows``: PostgreSQL's ``COPY … FROM STDIN`` (psycopg 3; binary on request), SQLite's
  ``executemany`` (one prepared statement stepped in C). Django's psycopg cursor binds
  parameters client-side, so an ``executemany`` there sends, parses and plans one
  statement per row: COPY is an order of magnitude faster.
- ``reserve_ids``: on PostgreSQL, ids drawn from the table's sequence before a COPY
  (which cannot return them); on SQLite the caller reads them back after the insert.
- ``empty_tables``: ``TRUNCATE`` on PostgreSQL (a ``DELETE`` leaves dead index entries that
  every re-inserted key of a unique index must check, doubling a rebuild); SQLite's
  ``DELETE`` without ``WHERE`` already truncates. TRUNCATE locks the tables until commit:
  map reads wait for a full rebuild (seconds) instead of reading the previous cells.
- ``among``: "column is one of these values" with the values as a single parameter (an
  array on PostgreSQL, a JSON array read by ``json_each`` on SQLite), instead of ``IN``
  with a thousand placeholders, which Django and psycopg prepare one by one.
- ``unique_slugs``: on PostgreSQL its look-ups probe the slug index whatever the
  statistics say (rows written earlier in the transaction are not in them).
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


def insert_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence], *, binary: bool = False
) -> None:
    """Insert ``rows`` (tuples of database values, in ``columns`` order) into ``table``.

    ``binary``: PostgreSQL's binary COPY, whose values the server takes as they are sent
    instead of parsing their text (timestamps, numbers); JSON columns take JSON text."""
    rows = list(rows)
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Read before the COPY starts: a query during it waits for the COPY, forever.
            types = _column_types(table, tuple(columns)) if binary else None
            options = " (FORMAT BINARY)" if binary else ""
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN{options}") as copy:
                if types:
                    rows = _binary_rows(copy, types, rows)
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 (identifiers quoted, values bound)
        cursor.executemany(sql, rows)


JSONB, BYTEA = 3802, 17  # built-in type oids


def _binary_rows(copy, types: list[int], rows: list) -> list:
    """Declare the columns' types to psycopg (a binary COPY carries none); JSON text goes as
    ``jsonb``'s binary form, a version byte then the text, sent as raw bytes."""
    json_columns = [i for i, oid in enumerate(types) if oid == JSONB]
    copy.set_types([BYTEA if oid == JSONB else oid for oid in types])
    if not json_columns:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for i in json_columns:
            row[i] = None if row[i] is None else b"\x01" + row[i].encode()
        converted.append(row)
    return converted


_types: dict[tuple, list[int]] = {}


def _column_types(table: str, columns: tuple[str, ...]) -> list[int]:
    """The type oids of ``table``'s ``columns`` (cached: built-in types keep their oids)."""
    if (table, columns) not in _types:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attname = ANY(%s)",
                [connection.ops.quote_name(table), list(columns)],
            )
            oids = dict(cursor.fetchall())
        _types[table, columns] = [oids[column] for column in columns]
    return _types[table, columns]


def reserve_ids(model: type[models.Model], count: int) -> list[int] | None:
    """``count`` new primary keys for ``model`` on PostgreSQL, None on SQLite."""
    if connection.vendor != "postgresql" or not count:
        return None
    sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.db_table, model._meta.pk.column, count])
        return [row[0] for row in cursor.fetchall()]


def empty_tables(*tables: str) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks pending (rows written
            # earlier in this transaction): run them now, then defer again, as Django's
            # check_constraints() does.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in tables)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        for table in tables:
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (quoted model identifier)


def among(table: str, column: str, values: Iterable) -> RawSQL:
    """A condition for ``QuerySet.filter()``: ``table.column`` is one of ``values``."""
    quote = connection.ops.quote_name
    qualified = f"{quote(table)}.{quote(column)}"
    values = list(values)
    if connection.vendor == "postgresql":
        sql, param = f"{qualified} = ANY(%s)", values
    else:
        sql, param = f"{qualified} IN (SELECT value FROM json_each(%s))", json.dumps(values)  # noqa: S608 (identifiers quoted, values bound)
    return RawSQL(sql, [param], output_field=BooleanField())  # noqa: S611 (identifiers quoted, values bound)


@contextmanager
def _index_probes() -> Iterator[None]:
    """PostgreSQL, in a transaction: look the keys up in their index, whatever the
    statistics say. Rows written earlier in the same transaction are not in them: into a
    table empty at its last ANALYZE, checking 1,000 slugs scanned every row imported so far
    (4 s over a 100,000-row import)."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = on")


def unique_slugs(model: type[models.Model], bases: list[str], used: set[str]) -> list[str]:
    """A free slug per base ("base", else "base-2", "base-3"…), unique in ``model``'s
    table, among themselves and against ``used`` (slugs given earlier in the same import,
    not yet written); one query per round of candidates. Adds the results to ``used``."""
    table = model._meta.db_table
    slugs, suffix = list(bases), 1
    while True:
        candidates = model._base_manager.filter(among(table, "slug", set(slugs)))
        with _index_probes():
            taken = set(candidates.values_list("slug", flat=True).order_by())
        clashes, seen = [], set()
        for i, slug in enumerate(slugs):
            if slug in taken or slug in used or slug in seen:
                clashes.append(i)
            seen.add(slug)
        if not clashes:
            used.update(slugs)
            return slugs
        suffix += 1
        for i in clashes:
            slugs[i] = f"{bases[i]}-{suffix}"
