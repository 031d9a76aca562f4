from essaim.search.text import analyse


def test_accents_and_case_are_folded():
    assert analyse("École") == analyse("ecole") == analyse("ECOLE")


def test_plural_and_feminine_forms_share_a_stem():
    assert analyse("coopératives") == analyse("cooperative")


def test_solidaire_and_solidarite_share_a_stem():
    assert analyse("solidaires") == analyse("solidarité") == analyse("Solidarités")


def test_stop_words_and_elisions_are_dropped():
    assert analyse("l'économie de la transition") == analyse("économie transitions")


def test_ligatures_are_spelled_out():
    assert analyse("œuvre", stem=False) == "oeuvre"


def test_without_stemming_words_are_only_folded():
    assert analyse("Écoles des transitions", stem=False) == "ecoles transitions"
