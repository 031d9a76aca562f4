"""Moving an instance to another database engine (SQLite → PostgreSQL), nothing lost.

The target must be empty. It is migrated to the same schema, emptied of what migrations
wrote there (content types, permissions, Wagtail's first pages), then every table is
copied row by row in primary-key order, values passing through Django's fields (so
SQLite's text datetimes and 0/1 booleans become PostgreSQL types) without ``auto_now``
or signals getting in the way. PostgreSQL checks foreign keys at commit (Django declares
them DEFERRABLE INITIALLY DEFERRED), so tables can be copied in any order in one
transaction. Sequences are then reset and every table's row count compared.
"""

import os
import subprocess
import sys
from collections.abc import Callable

import dj_database_url
from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, transaction

TARGET = "move_target"
BATCH = 2_000


class MoveError(Exception):
    """The move cannot start or did not reproduce every row; the message says why."""


# The search index is engine-specific (SQLite FTS5 vs PostgreSQL tsvector): rebuilt, not copied.
REBUILT_APPS = {"wagtailsearch"}


def copied_models() -> list:
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
            and m._meta.app_label not in REBUILT_APPS]  # fmt: skip


def move_database(url: str, *, log: Callable[[str], None] = print) -> dict[str, int]:
    """Copy this instance's database into the empty database at ``url``; returns counts."""
    _connect_target(url)
    try:
        target = connections[TARGET]
        if target.introspection.table_names():
            raise MoveError("La base de destination n'est pas vide.")
        _migrate(url)
        _empty(target)
        with transaction.atomic(using=TARGET):
            for model in copied_models():
                copied = _copy(model)
                if copied:
                    log(f"{model._meta.db_table} : {copied}")
        _reset_sequences(target)
        _compare()
        log("Index de recherche : reconstruction…")
        _essaim(url, "update_index")
        return {m._meta.db_table: m._base_manager.count() for m in copied_models()}
    finally:
        connections[TARGET].close()
        del connections.settings[TARGET]


def _connect_target(url: str) -> None:
    config = dj_database_url.parse(url)
    if not config.get("ENGINE"):
        raise MoveError("Adresse de base de données illisible.")
    connections.settings[TARGET] = {**connections.settings["default"], **config,
                                    "OPTIONS": config.get("OPTIONS", {})}  # fmt: skip
    connections.settings[TARGET].pop("TEST", None)
    connections[TARGET].ensure_connection()


def _migrate(url: str) -> None:
    """Migrate the target as its own instance would: some third-party data migrations
    (Wagtail's first pages) write to the default database whatever alias is migrated."""
    _essaim(url, "migrate", "-v0", "--noinput")


def _essaim(url: str, *args: str) -> None:
    """Run an `essaim` command on the target database."""
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run([sys.executable, "-m", "essaim", *args],  # noqa: S603
                            env=env, capture_output=True, text=True)  # fmt: skip
    if result.returncode:
        raise MoveError(f"essaim {args[0]} a échoué sur la destination : {result.stderr[-500:]}")


def _empty(target) -> None:
    tables = [m._meta.db_table for m in copied_models()]
    statements = target.ops.sql_flush(no_style(), tables, reset_sequences=False,
                                      allow_cascade=True)  # fmt: skip
    with target.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _copy(model) -> int:
    fields = list(model._meta.local_concrete_fields)  # multi-table children: own table only
    rows = model._base_manager.using("default").order_by("pk").iterator(chunk_size=BATCH)
    batch, count = [], 0
    for obj in rows:
        batch.append(obj)
        if len(batch) == BATCH:
            count += _insert(model, batch, fields)
            batch = []
    return count + (_insert(model, batch, fields) if batch else 0)


def _insert(model, objects: list, fields: list) -> int:
    # raw=True: values as stored, no auto_now / pre_save rewriting (as loaddata does).
    model._base_manager.using(TARGET)._insert(objects, fields=fields, raw=True, using=TARGET)
    return len(objects)


def _reset_sequences(target) -> None:
    statements = target.ops.sequence_reset_sql(no_style(), copied_models())
    with target.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _compare() -> None:
    source, target = {}, {}
    for model in copied_models():
        source[model._meta.db_table] = model._base_manager.count()
        target[model._meta.db_table] = model._base_manager.using(TARGET).count()
    missing = {
        table: (n, target.get(table)) for table, n in source.items() if target.get(table) != n
    }
    if missing:
        details = ", ".join(f"{t} ({a} → {b})" for t, (a, b) in missing.items())
        raise MoveError(f"Des lignes manquent après la copie : {details}")
