"""French text analysis shared by the index and the queries.

The same function turns indexed text and typed queries into search terms, so both sides
always agree, whatever the database: lower case, accents folded, French stop words and
elisions dropped, Snowball French stemming, plus one rule of ours (see ``_conflate``).
"""

import re
from functools import cache, lru_cache

import snowballstemmer

from essaim.common.text import strip_accents

_WORD = re.compile(r"\w+")
# Articles, prepositions and elided forms ("l'école" → "l", "ecole"): dropping them on
# both sides lets "économie de la transition" find "économie des transitions".
_STOP_WORDS_TEXT = """
    a au aux avec c ce ces d dans de des du en et j l la le les leur leurs m mais n ne
    ni nos notre nous on ou par pas pour qu que qui s sa se ses son sur t ta te tes ton
    un une vos votre vous y
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@cache
def _stemmer():
    return snowballstemmer.stemmer("french")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents: "Économie" → "economie"."""
    return strip_accents(text.casefold())


def _conflate(stem: str) -> str:
    # Snowball keeps adjectives in -aire apart from nouns in -arité ("solidair" vs
    # "solidarit"); French derives one from the other, so we map both to "-ar".
    if stem.endswith("arit"):
        return stem[:-2]
    if stem.endswith("air") and len(stem) > 4:
        return stem[:-3] + "ar"
    return stem


def words(text: str) -> list[str]:
    """The folded words of ``text``, stop words left out."""
    return [word for word in _WORD.findall(fold(text)) if word not in STOP_WORDS]


@lru_cache(maxsize=100_000)
def stem_word(word: str) -> str:
    """The stemmed term of one folded word. Cached: Snowball's pure-Python stemmer was
    ~90 % of indexing time, and indexed text repeats a small vocabulary."""
    return _conflate(_stemmer().stemWord(word))


def analyse(text: str, *, stem: bool = True) -> str:
    """The search terms of ``text``, space-separated; ``stem=False`` for prefix matching."""
    terms = words(text)
    if stem:
        terms = [stem_word(term) for term in terms]
    return " ".join(terms)
