import pytest

from essaim.initiatives.opening_hours import describe, schema_org


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Mo-Fr 09:00-18:00", ["Du lundi au vendredi : 9 h – 18 h"]),
        ("Mo-Fr 09:00-12:00,14:00-18:30; Sa 10:00-12:00",
         ["Du lundi au vendredi : 9 h – 12 h, 14 h – 18 h 30", "Samedi : 10 h – 12 h"]),
        ("Mo,We,Fr 08:00-12:00", ["Lundi, mercredi et vendredi : 8 h – 12 h"]),
        ("Tu-Sa 10:00-19:00; Su off; PH off",
         ["Du mardi au samedi : 10 h – 19 h", "Dimanche : fermé", "Jours fériés : fermé"]),
        ("Mo-Fr 09:00-18:00, Sa 10:00-12:00",
         ["Du lundi au vendredi : 9 h – 18 h", "Samedi : 10 h – 12 h"]),
        ("10:00-18:00", ["Tous les jours : 10 h – 18 h"]),
        ("24/7", ["Ouvert tous les jours, 24 h sur 24"]),
    ],
)  # fmt: skip
def test_common_syntax_reads_as_french(text, lines):
    assert describe(text) == lines


@pytest.mark.parametrize(
    "text",
    [
        "Jan-Mar Mo 10:00-12:00",
        "Mo-Fr 09:00-18:00 || Sa",
        "sunrise-sunset",
        "Mo",
        "",
        "n'importe quoi",
    ],
)
def test_unknown_syntax_is_not_described(text):
    assert describe(text) is None


def test_schema_org_gives_one_value_per_slot_and_leaves_out_closed_days():
    hours = "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; Su off; PH off"

    assert schema_org(hours) == ["Mo-Fr 09:00-12:00", "Mo-Fr 14:00-18:00", "Sa 10:00-12:00"]
    assert schema_org("Jan-Mar Mo 10:00-12:00") == []
