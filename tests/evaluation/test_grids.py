import json

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from essaim.evaluation import grids
from essaim.evaluation.models import Criterion, Grid, GridVersion
from tests.evaluation.conftest import small_grid_document

pytestmark = pytest.mark.django_db


def test_default_grid_is_installed_with_seven_axes_of_four_criteria():
    version = Grid.objects.get(slug="grille-essaim").latest_version()

    counts = [axis.criteria.count() for axis in version.axes.all()]

    assert counts == [4] * 7
    criterion = version.criteria().first()
    assert len(criterion.levels) == 5 and all(criterion.levels)


def test_export_then_import_gives_the_same_grid_as_a_new_version(tmp_path, capsys):
    call_command("export_grid", "grille-essaim", "--format", "yaml")
    exported = capsys.readouterr().out
    path = tmp_path / "grid.yaml"
    path.write_text(exported, encoding="utf-8")

    call_command("import_grid", str(path))

    versions = GridVersion.objects.filter(grid__slug="grille-essaim").order_by("number")
    assert [v.number for v in versions] == [1, 2]
    first, second = (grids.as_document(v) for v in versions)
    assert {**first, "version": 0} == {**second, "version": 0}


def test_json_export_is_the_same_document(capsys):
    call_command("export_grid", "grille-essaim", "--format", "json")

    document = json.loads(capsys.readouterr().out)

    assert document == grids.as_document(Grid.objects.get(slug="grille-essaim").latest_version())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["axes"][1]["criteria"][0].update(levels=["a"] * 4),
            "axes[1].criteria[0].levels: 5 niveaux attendus",
        ),
        (lambda d: d["axes"][0].update(code="pas un code"), "axes[0].code: un identifiant"),
        (
            lambda d: d["axes"][0]["criteria"][1].update(code="c11"),
            "axes[0].criteria[1].code: « c11 » déjà utilisé",
        ),
        (lambda d: d["axes"][1]["criteria"][1].update(weight=-1), "axes[1].criteria[1].weight"),
        (lambda d: d["axes"][0]["criteria"][0].update(core="oui"), "axes[0].criteria[0].core"),
        (lambda d: d.update(axes=[]), "axes: une liste non vide attendue"),
        (lambda d: d.update(name=""), "name: obligatoire"),
    ],
)
def test_bad_grid_is_refused_naming_its_path_and_nothing_is_written(tmp_path, change, message):
    document = small_grid_document()
    change(document)
    path = tmp_path / "grid.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    before = (Grid.objects.count(), Criterion.objects.count())

    with pytest.raises(CommandError) as error:
        call_command("import_grid", str(path))

    assert error.value.returncode == 2
    assert message in str(error.value)
    assert (Grid.objects.count(), Criterion.objects.count()) == before


def test_unreadable_yaml_is_refused_with_its_line(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text("slug: x\naxes: [\n  - {", encoding="utf-8")

    with pytest.raises(CommandError, match="ligne"):
        call_command("import_grid", str(path))


def test_export_of_unknown_grid_exits_2():
    with pytest.raises(CommandError) as error:
        call_command("export_grid", "nulle-part")

    assert error.value.returncode == 2
