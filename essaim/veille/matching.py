"""Automatic themes (staff's keyword rules) and initiative mentions (name match).

Both compare folded text: lower case, accents stripped, words only, so that "Économie
Circulaire" matches the rule "economie circulaire". Matching is on whole words.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from essaim.common.text import strip_accents

WORD = re.compile(r"\w+")
MAX_NAME_WORDS = 10


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    return " ".join(WORD.findall(strip_accents(text).lower()))


@dataclass
class ThemeRules:
    """Keyword rules compiled once: theme id → pattern over folded text."""

    patterns: dict[int, re.Pattern]

    @classmethod
    def load(cls) -> "ThemeRules":
        from essaim.veille.models import KeywordRule

        words: dict[int, set[str]] = defaultdict(set)
        for rule in KeywordRule.objects.all():
            words[rule.theme_id].update(w for k in rule.keyword_list() if (w := fold(k)))
        patterns = {
            theme_id: re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(kws))) + r")(?!\w)")
            for theme_id, kws in words.items()
            if kws
        }
        return cls(patterns)

    def themes_of(self, folded_text: str) -> set[int]:
        return {theme_id for theme_id, p in self.patterns.items() if p.search(folded_text)}


def qualifies(name: str) -> bool:
    """Names of two words or more, or of eight characters or more: shorter ones are noise."""
    words = fold(name).split()
    return len(words) >= 2 or len(name.strip()) >= 8


@dataclass
class InitiativeNames:
    """Folded names of public initiatives → their ids, looked up by the text's word n-grams."""

    ids_by_name: dict[str, list[int]]
    longest: int

    @classmethod
    def load(cls) -> "InitiativeNames":
        from essaim.initiatives.models import Initiative

        ids_by_name: dict[str, list[int]] = defaultdict(list)
        for pk, name in Initiative.objects.public().values_list("pk", "name").iterator():
            if qualifies(name) and (key := fold(name)):
                ids_by_name[key].append(pk)
        longest = max((len(k.split()) for k in ids_by_name), default=0)
        return cls(dict(ids_by_name), min(longest, MAX_NAME_WORDS))

    def mentioned_in(self, folded_text: str) -> set[int]:
        if not self.ids_by_name:
            return set()
        words, found = folded_text.split(), set()
        for size in range(1, self.longest + 1):
            for start in range(len(words) - size + 1):
                found.update(self.ids_by_name.get(" ".join(words[start : start + size]), ()))
        return found
