"""The one full-text query behind the public search, per database.

Both return index entries (modelsearch's tables) that contain every term, in title or
body, annotated with ``score`` (higher is better), plus the path from the returned model
to the index entry's fields. Terms come from ``essaim.search.text.analyse``: word
characters only, the same analysis the index went through.
"""

import operator
from functools import reduce

from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from modelsearch.conf import get_app_config


def matching_entries(terms: list[str]) -> tuple[QuerySet, str]:
    if connection.vendor == "postgresql":
        return _postgres_entries(terms), ""
    return _sqlite_entries(terms), "index_entry__"


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
