"""Fuzzing ``essaim import-grid`` (YAML / JSON).

Whatever the document, the command either imports it as a new version or stops with its
own error (exit status 2, naming the path in the document) and writes nothing.
"""

import json
import tempfile

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from essaim.evaluation import grids
from essaim.evaluation.models import Axis, Criterion, Grid, GridVersion, Question
from tests.hardening.fuzz import (
    ENCODINGS,
    bounded,
    encode,
    field_text,
    hostile_text,
    json_values,
    mutated,
)

pytestmark = pytest.mark.django_db

ERROR_WORDS = ("grille refusée", "document", "axes", "slug", "name")


def database_state() -> tuple:
    return tuple(model.objects.count() for model in (Grid, GridVersion, Axis, Criterion, Question))


def import_document(data: bytes) -> str | None:
    before = database_state()
    with tempfile.NamedTemporaryFile(suffix=".yaml") as stream:
        stream.write(data)
        stream.flush()
        try:
            call_command("import_grid", stream.name)
        except CommandError as exc:
            assert exc.returncode == 2
            assert any(word in str(exc) for word in ERROR_WORDS), str(exc)
            assert database_state() == before, "a refused import wrote something"
            return str(exc)
    assert database_state() != before
    return None


@bounded(15)
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_are_imported_or_refused_cleanly(data):
    import_document(data)


@bounded(20)
@given(data=st.data())
def test_damaged_default_grid_is_imported_or_refused_cleanly(data):
    import_document(data.draw(mutated(grids.DEFAULT_GRID.read_bytes())))


@bounded(20)
@given(document=json_values)
def test_any_json_value_is_imported_or_refused_cleanly(document):
    import_document(json.dumps(document).encode())


levels = st.lists(field_text, min_size=3, max_size=6)
codes = st.sampled_from(["a", "a", "b-2", "", "é", "x" * 81]) | hostile_text
criteria = st.fixed_dictionaries(
    {"code": codes, "name": field_text, "levels": levels},
    optional={"core": st.booleans() | hostile_text, "weight": st.one_of(
        st.integers(-5, 200), st.floats(allow_nan=True), hostile_text),
        "questions": st.lists(field_text, max_size=3) | hostile_text},
)  # fmt: skip
axes = st.fixed_dictionaries(
    {"code": codes, "name": field_text, "criteria": st.lists(criteria, max_size=3)}
)


@bounded(40)
@given(document=st.fixed_dictionaries({"slug": codes, "name": field_text,
                                       "axes": st.lists(axes, max_size=3)}),
       as_json=st.booleans(), encoding=st.sampled_from(ENCODINGS))  # fmt: skip
def test_hostile_grid_is_imported_or_refused_naming_a_path(document, as_json, encoding):
    text = json.dumps(document, ensure_ascii=False) if as_json else yaml.safe_dump(
        document, allow_unicode=True)  # fmt: skip
    error = import_document(encode(text, encoding))
    if error is None:
        version = GridVersion.objects.order_by("-pk").first()
        assert all(len(c.levels) == 5 for c in version.criteria())
