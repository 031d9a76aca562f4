import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from essaim.taxonomy.colours import contrast
from essaim.taxonomy.models import Theme
from essaim.taxonomy.services import load_themes

pytestmark = pytest.mark.django_db


def test_default_tree_loads_idempotently_and_updates_colours():
    first = load_themes()
    assert first == {"créés": 39, "mis à jour": 0}
    Theme.objects.filter(slug="energie").update(colour="#000000", name="Énergie !")
    assert load_themes() == {"créés": 0, "mis à jour": 39}
    energie = Theme.objects.get(slug="energie")
    assert (energie.name, energie.colour) == ("Énergie", "#8a4b00")
    assert Theme.objects.count() == 39
    assert Theme.objects.top_level().count() == 14


def test_reloading_never_deletes_a_theme_the_file_lost(tmp_path):
    load_themes()
    Theme.objects.create(name="Local", slug="local")
    tree = tmp_path / "themes.yaml"
    tree.write_text(yaml.safe_dump([{"name": "Culture", "slug": "culture", "colour": "#123456"}]))
    call_command("load_themes", str(tree))
    assert Theme.objects.filter(slug__in=["local", "amap"]).count() == 2
    assert Theme.objects.get(slug="culture").colour == "#123456"


def test_sub_themes_inherit_icon_and_colour_and_tree_order_nests_them():
    load_themes()
    amap = Theme.objects.get(slug="amap")
    assert (amap.parent.slug, amap.icon, amap.colour) == (
        "alimentation-agriculture",
        "carrot",
        "#2f6b1f",
    )
    ordered = [t.slug for t in Theme.objects.tree_order()][:3]
    assert ordered == ["alimentation-agriculture", "circuits-courts", "amap"]


def test_every_theme_badge_text_reaches_aa_contrast():
    load_themes()
    for theme in Theme.objects.all():
        assert contrast(theme.text_colour, theme.colour) >= 4.5, theme.slug


def test_a_third_level_and_bad_colours_and_icons_are_refused():
    load_themes()
    amap = Theme.objects.get(slug="amap")
    with pytest.raises(ValidationError) as error:
        Theme(
            name="Sous-AMAP", slug="sous-amap", parent=amap, colour="#12345", icon="nope"
        ).full_clean()
    assert set(error.value.message_dict) == {"parent", "colour", "icon"}


def test_load_themes_command_reports_a_bad_file_with_status_2(tmp_path):
    tree = tmp_path / "themes.yaml"
    tree.write_text(yaml.safe_dump([{"name": "X", "slug": "x", "colour": "red"}]))
    with pytest.raises(CommandError) as error:
        call_command("load_themes", str(tree))
    assert error.value.returncode == 2
    assert "x: " in str(error.value) and "#rrggbb" in str(error.value)
    assert not Theme.objects.filter(slug="x").exists()
