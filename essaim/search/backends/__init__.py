"""Essaim's search backend: Wagtail's database backends, analysing French text our way.

``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "essaim.search.backends"}}``. Like
``modelsearch.backends.database`` it picks the implementation for the default database;
the only difference is that indexed text and queries go through ``essaim.search.text``.
"""

from django.db import connection


def SearchBackend(params):  # noqa: N802 (the name modelsearch looks up in a backend module)
    if connection.vendor == "postgresql":
        from essaim.search.backends.postgres import FrenchPostgresSearchBackend

        return FrenchPostgresSearchBackend(params)
    if connection.vendor == "sqlite" and _sqlite_has_fts5():
        from essaim.search.backends.sqlite import FrenchSQLiteSearchBackend

        return FrenchSQLiteSearchBackend(params)
    from modelsearch.backends.database import SearchBackend as UpstreamSearchBackend

    return UpstreamSearchBackend(params)


def _sqlite_has_fts5() -> bool:
    from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

    return fts5_available() and fts_table_exists()
