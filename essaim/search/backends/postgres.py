"""PostgreSQL full-text search with French analysis (see ``essaim.search.backends.analysis``).

The text reaching PostgreSQL is already folded and stemmed, so it is read with the
``simple`` configuration: no second stemming, no English stop words.
"""

from modelsearch.backends.database.postgres import postgres

from essaim.search.backends.analysis import (
    AnalysingCompilerMixin,
    AnalysingIndexerMixin,
    with_indexer,
)

TEXT_SEARCH_CONFIG = "simple"


class FrenchObjectIndexer(AnalysingIndexerMixin, postgres.ObjectIndexer):
    pass


class FrenchPostgresIndex(postgres.PostgresIndex):
    add_items = with_indexer(postgres.PostgresIndex.add_items, FrenchObjectIndexer)


class FrenchPostgresSearchQueryCompiler(
    AnalysingCompilerMixin, postgres.PostgresSearchQueryCompiler
):
    pass


class FrenchPostgresAutocompleteQueryCompiler(
    AnalysingCompilerMixin, postgres.PostgresAutocompleteQueryCompiler
):
    STEM = False


class FrenchPostgresSearchBackend(postgres.PostgresSearchBackend):
    query_compiler_class = FrenchPostgresSearchQueryCompiler
    autocomplete_query_compiler_class = FrenchPostgresAutocompleteQueryCompiler
    index_class = FrenchPostgresIndex

    def __init__(self, params):
        super().__init__(params)
        self.config = TEXT_SEARCH_CONFIG
