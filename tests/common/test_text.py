from essaim.common.text import strip_accents


def test_strip_accents_folds_accents_and_french_ligatures_keeping_case():
    assert strip_accents("Économie, Œuvre, cœur, ex æquo, Saint-Épain") == (
        "Economie, Oeuvre, coeur, ex aequo, Saint-Epain"
    )
