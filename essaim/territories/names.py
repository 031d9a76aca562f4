"""Name helpers: accent folding for look-ups, and French prepositions for headings."""

import re

from essaim.common.text import strip_accents

_SEPARATORS = re.compile(r"[\s\-'’`.,/()]+")


def fold(text: str) -> str:
    """Lowercase, accent-free, punctuation as single spaces: "Saint-Épain" -> "saint epain".

    Stored in ``name_folded`` so that look-ups are plain indexed string comparisons
    on every database (no unaccent extension needed).
    """
    return _SEPARATORS.sub(" ", strip_accents(text).lower()).strip()


# Départements whose name takes "du", or "des"; names with "-et-" take no article
# ("d'Indre-et-Loire"), vowel starts take "de l'", the rest "de la".
_MASCULINE = {
    "Bas-Rhin", "Calvados", "Cantal", "Cher", "Doubs", "Finistère", "Gard", "Gers", "Haut-Rhin",
    "Jura", "Loiret", "Lot", "Morbihan", "Nord", "Pas-de-Calais", "Puy-de-Dôme", "Rhône", "Tarn",
    "Territoire de Belfort", "Val-d'Oise", "Val-de-Marne", "Var", "Vaucluse",
}  # fmt: skip
_PLURAL = {
    "Alpes-de-Haute-Provence", "Alpes-Maritimes", "Ardennes", "Bouches-du-Rhône", "Côtes-d'Armor",
    "Deux-Sèvres", "Hautes-Alpes", "Hautes-Pyrénées", "Hauts-de-Seine", "Landes",
    "Pyrénées-Atlantiques", "Pyrénées-Orientales", "Vosges", "Yvelines",
}  # fmt: skip
_NO_ARTICLE = {"Paris", "Mayotte", "La Réunion"}


def of_name(name: str) -> str:
    """French "of" + name for a commune or a name without article: "d'Amboise", "de Tours"."""
    return f"d'{name}" if fold(name)[:1] in set("aeiouy") else f"de {name}"


def of_departement(name: str) -> str:
    """ "d'Indre-et-Loire", "du Cher", "de la Marne", "des Landes", "de l'Indre"."""
    if name in _NO_ARTICLE or "-et-" in name:
        return of_name(name)
    if name in _MASCULINE:
        return f"du {name}"
    if name in _PLURAL:
        return f"des {name}"
    if fold(name)[:1] in set("aeiouy") or name == "Hérault":
        return f"de l'{name}"
    return f"de la {name}"
