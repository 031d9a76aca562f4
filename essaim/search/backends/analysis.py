"""What the French backends add to modelsearch's: analysed index text and queries."""

import types

from modelsearch.index import AutocompleteField, RelatedFields
from modelsearch.query import MATCH_NONE, And, Boost, Not, Or, Phrase, PlainText

from essaim.search.text import analyse


class AnalysingIndexerMixin:
    """Index each field's text as search terms: stemmed, or only folded for autocomplete."""

    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):
            # Its sub-fields come back through this method, one level down.
            yield from super().prepare_field(obj, field)
            return
        stem = not isinstance(field, AutocompleteField)
        for *head, value in super().prepare_field(obj, field):
            yield (*head, analyse(value, stem=stem))


class AnalysingCompilerMixin:
    """Analyse the query exactly as the indexed text was."""

    STEM = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query = analysed_query(self.query, stem=self.STEM)


def analysed_query(query, *, stem: bool):
    if isinstance(query, (PlainText, Phrase)):
        terms = analyse(query.query_string, stem=stem)
        if not terms:  # only stop words: they are not in the index either
            return MATCH_NONE
        if isinstance(query, Phrase):
            return Phrase(terms)
        return PlainText(terms, operator=query.operator, boost=query.boost)
    if isinstance(query, (And, Or)):
        return type(query)([analysed_query(sub, stem=stem) for sub in query.subqueries])
    if isinstance(query, Not):
        return Not(analysed_query(query.subquery, stem=stem))
    if isinstance(query, Boost):
        return Boost(analysed_query(query.subquery, stem=stem), query.boost)
    return query  # MatchAll, Fuzzy: nothing to analyse


def with_indexer(add_items, indexer_class):
    """Upstream's ``add_items``, building ``indexer_class`` instead of its ObjectIndexer.

    modelsearch names its indexer class as a module global; rebinding that one global
    keeps the rest of upstream's code instead of copying it. Fails loudly if it changes.
    """
    if "ObjectIndexer" not in _names(add_items.__code__):
        raise ImportError("modelsearch's add_items no longer builds an ObjectIndexer")
    namespace = {**add_items.__globals__, "ObjectIndexer": indexer_class}
    return types.FunctionType(add_items.__code__, namespace, add_items.__name__)


def _names(code) -> set[str]:
    # Comprehensions compile to nested code objects sharing the function's globals.
    nested = (const for const in code.co_consts if isinstance(const, types.CodeType))
    return set(code.co_names).union(*(_names(sub) for sub in nested))
