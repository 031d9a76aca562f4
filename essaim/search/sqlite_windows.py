"""SQLite's windows (``matching.candidates``): modelsearch's FTS5 table.

A window is the first matches in rowid order (the index entry's id). Scores are computed
here: FTS5's bm25 with every word weighing the same. FTS5's ``bm25()`` weighs each word by
its rarity, which it counts by reading every entry with the word, on every search: 20 ms
for a word in a million documents, whose weight then is nothing (FTS5 floors it at 1e-6).
PostgreSQL's ``ts_rank`` does not weigh words by rarity either.
"""

from django.db import connection
from django.db.models import F, Func, IntegerField, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from modelsearch.conf import get_app_config

from essaim.search.matching import TITLE_WEIGHT, Candidate, fetch_windows, stand_in, window_sql
from essaim.search.registry import SearchType, Visibility

BM25_K1, BM25_B = 1.2, 0.75  # FTS5's constants


def candidates(
    terms: list[str], search_types: list[SearchType], *, per_type: int
) -> list[Candidate]:
    """``matching.candidates`` on SQLite."""
    names = [f"term{number}" for number in range(len(terms))]
    visibility = Visibility(prefix="index_entry__")
    windows = []
    for search_type in search_types:
        content_type_id = search_type.content_type_id

        def build(visible: Q, content_type_id=content_type_id) -> QuerySet:
            stand_ins = [stand_in(name) for name in names]
            score_parts = _score_parts(stand_ins)
            entries = _entries(stand_ins).annotate(**score_parts)
            fields = ("index_entry__content_type_id", "index_entry__object_id", "pk")
            window = _window(entries, content_type_id, visible).order_by()
            return window.values_list(*fields, *score_parts)[:per_type]

        key = ("sqlite", content_type_id, per_type, len(terms))
        values = dict(zip(names, terms, strict=True))
        windows.append(window_sql(key, search_type, build, visibility=visibility, values=values))
    return _scored(fetch_windows(windows))


def _window(entries: QuerySet, content_type_id: int, visibility: Q) -> QuerySet:
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


def _entries(terms: list[str]) -> QuerySet:
    from modelsearch.backends.database.sqlite.query import MatchExpression

    fts_entry = get_app_config().get_model("SQLiteFTSIndexEntry")
    phrases = " AND ".join(f'"{term}"' for term in terms)
    return fts_entry.objects.filter(MatchExpression(["title", "body"], Value(phrases)))


def _score_parts(terms: list[str]) -> dict[str, RawSQL]:
    """Per entry: its text's length, then each term's occurrences in title and body, in
    this order (``_scored`` reads them so). Raw SQL: the same with Django's
    functions took ~4 ms a search to build and compile, over every window."""
    table = connection.ops.quote_name(get_app_config().get_model("IndexEntry")._meta.db_table)
    title, body = f"{table}.title", f"{table}.body"
    parts = {"text_length": RawSQL(f"length({title}) + length({body})", [])}  # noqa: S611
    for number, term in enumerate(terms):
        parts[f"title_{number}"] = _occurrences(title, term)
        parts[f"body_{number}"] = _occurrences(body, term)
    return parts


def _occurrences(column: str, term: str) -> RawSQL:
    """How many times ``term`` is a word of the analysed text in ``column`` (words apart
    by spaces, ``text.analyse``): the padded text's length less its length without the
    word, over the word's. Spaces are doubled so that two occurrences in a row both count.
    """
    padded = f"(' ' || replace({column}, ' ', '  ') || ' ')"
    word = f" {term} "
    return RawSQL(  # noqa: S611 (a constant column; the word is a parameter)
        f"((length({padded}) - length(replace({padded}, %s, ''))) / length(%s))",
        [word, word],
        output_field=IntegerField(),
    )


def _scored(rows: list[tuple]) -> list[Candidate]:
    """Candidates scored by bm25 without the words' rarity, from ``_score_parts``:
    per word, its occurrences (title ones times ``TITLE_WEIGHT``) saturated, on a scale
    that grows with the entry's length against the average of the rows read."""
    if not rows:
        return []
    average = sum(row[3] for row in rows) / len(rows) or 1
    scored = []
    for content_type_id, object_id, entry_id, length, *counts in rows:
        scale = BM25_K1 * (1 - BM25_B + BM25_B * length / average)
        score = 0.0
        for title, body in zip(counts[::2], counts[1::2], strict=True):
            weighted = TITLE_WEIGHT * title + body
            score += weighted * (BM25_K1 + 1) / (weighted + scale)
        scored.append(Candidate(content_type_id, object_id, entry_id, score))
    return scored
