"""SQLite FTS5 with French analysis (see ``essaim.search.backends.analysis``)."""

from modelsearch.backends.database.sqlite import sqlite

from essaim.search.backends.analysis import (
    AnalysingCompilerMixin,
    AnalysingIndexerMixin,
    with_indexer,
)


class FrenchObjectIndexer(AnalysingIndexerMixin, sqlite.ObjectIndexer):
    pass


class FrenchSQLiteIndex(sqlite.SQLiteIndex):
    add_items = with_indexer(sqlite.SQLiteIndex.add_items, FrenchObjectIndexer)


class FrenchSQLiteSearchQueryCompiler(AnalysingCompilerMixin, sqlite.SQLiteSearchQueryCompiler):
    pass


class FrenchSQLiteAutocompleteQueryCompiler(
    AnalysingCompilerMixin, sqlite.SQLiteAutocompleteQueryCompiler
):
    STEM = False


class FrenchSQLiteSearchBackend(sqlite.SQLiteSearchBackend):
    query_compiler_class = FrenchSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = FrenchSQLiteAutocompleteQueryCompiler
    index_class = FrenchSQLiteIndex
