"""Plain-text helpers without domain."""

import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def strip_accents(text: str) -> str:
    """ "Économie, œuvre" → "Economie, oeuvre": what look-ups compare on every database."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
