"""Fuzzing ``essaim import-initiatives`` (CSV, GeoJSON, GoGoCarto JSON).

Whatever the file, the command either imports it correctly or stops with its own error
(CommandError, exit status 2) and leaves the database exactly as it was.
"""

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from essaim.initiatives.models import ImportSource, Initiative
from tests.hardening.fuzz import (
    ENCODINGS,
    bounded,
    encode,
    field_text,
    hostile_text,
    json_values,
    mutated,
)
from tests.initiatives.data_fixtures import FILES, database_state, run_command

pytestmark = pytest.mark.django_db

COLUMNS = ["id", "nom", "resume", "description", "themes", "adresse", "code_postal", "commune",
           "code_insee", "latitude", "longitude", "site_web", "email", "telephone", "siret",
           "rna", "licence", "forme_juridique", "colonne inconnue", ""]  # fmt: skip
# Where an error may point: a line or record, or the file as a whole (encoding, syntax).
ERROR_WORDS = ("ligne", "objet n°", "élément n°", "JSON", "Encodage", "CSV", "vide",
               "Aucun enregistrement", "FeatureCollection", "GoGoCarto")  # fmt: skip


def import_file(data: bytes, fmt: str, suffix: str) -> tuple[str | None, list[Initiative]]:
    """Run the command on ``data``: (error message or None, initiatives of the source)."""
    before = database_state()
    with tempfile.NamedTemporaryFile(suffix=suffix) as stream:
        stream.write(data)
        stream.flush()
        try:
            run_command(stream.name, "--format", fmt, "--source", "fuzz")
        except CommandError as exc:
            assert exc.returncode == 2
            assert any(word in str(exc) for word in ERROR_WORDS), str(exc)
            assert database_state() == before, "a refused import wrote something"
            return str(exc), []
    return None, list(Initiative.objects.filter(source__name="fuzz"))


def forget_source() -> None:
    """Examples share the test's transaction: each one starts from an empty source."""
    Initiative.objects.filter(source__name="fuzz").delete()
    ImportSource.objects.filter(name="fuzz").delete()


@pytest.mark.parametrize(("fmt", "suffix"), [("csv", ".csv"), ("geojson", ".geojson"),
                                             ("gogocarto", ".json")])  # fmt: skip
@bounded(15)
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_are_imported_or_refused_cleanly(fmt, suffix, data):
    forget_source()
    import_file(data, fmt, suffix)


@pytest.mark.parametrize("name", ["semicolon-latin1.csv", "bom-utf8.csv", "gogocarto.json",
                                  "initiatives.geojson", "malformed.geojson"])  # fmt: skip
@bounded(10)
@given(data=st.data())
def test_damaged_real_files_are_imported_or_refused_cleanly(name, data):
    forget_source()
    damaged = data.draw(mutated((FILES / name).read_bytes()))
    fmt = {".csv": "csv", ".geojson": "geojson", ".json": "gogocarto"}[Path(name).suffix]
    import_file(damaged, fmt, Path(name).suffix)


@st.composite
def csv_files(draw) -> tuple[bytes, list[str], list[list[str]]]:
    header = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=8))
    width = st.integers(0, len(header) + 2)
    rows = draw(st.lists(width.flatmap(lambda n: st.lists(field_text, min_size=n, max_size=n)),
                         max_size=6))  # fmt: skip
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return encode(out.getvalue(), draw(st.sampled_from(ENCODINGS))), header, rows


@bounded(25)
@given(csv_files())
def test_hostile_csv_is_imported_with_its_names_or_refused_naming_a_line(example):
    forget_source()
    data, header, rows = example
    error, imported = import_file(data, "csv", ".csv")
    if error is None:
        assert imported and all(i.name and i.slug for i in imported)
        assert len(imported) <= len(rows)
        assert all(-90 <= i.latitude <= 90 for i in imported if i.latitude is not None)
        assert all(-180 <= i.longitude <= 180 for i in imported if i.longitude is not None)


def test_missing_name_column_is_refused_naming_the_line():
    error, _ = import_file(b"id;adresse\nA1;1 rue du Four\n", "csv", ".csv")

    assert "ligne 2, champ « nom » : obligatoire" in error


def test_overlong_field_is_refused_naming_the_line_and_the_field():
    error, _ = import_file(f"nom;description\nÉpicerie;{'x' * 100_001}\n".encode(), "csv", ".csv")

    assert "ligne 2, champ « description » : 100001 caractères, 100000 au plus" in error


@pytest.mark.parametrize(("fmt", "text"), [
    ("geojson", '{"type": "FeatureCollection", "features": 12}'),
    ("geojson", '{"type": "FeatureCollection", "features": [{"geometry": "Point"}]}'),
    ("geojson", "[" * 100_000),
    ("gogocarto", '{"data": [1e999999, null, ["a", [1], 2]]}'),
    ("gogocarto", '{"data": [' + "9" * 5000 + "]}"),
])  # fmt: skip
def test_json_of_the_wrong_shape_is_refused_cleanly(fmt, text):
    error, _ = import_file(text.encode(), fmt, ".json")

    assert error


def test_nul_byte_in_a_cell_is_imported_without_it():
    # PostgreSQL refuses NUL in text; SQLite would store it: neither may crash.
    error, imported = import_file("nom;adresse\nÉpi\x00cerie;1 rue\x00 Haute\n".encode(), "csv",
                                  ".csv")  # fmt: skip

    assert error is None
    assert [(i.name, i.address) for i in imported] == [("Épicerie", "1 rue Haute")]


coordinates = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-1000, 1000),
    hostile_text,
    st.none(),
    st.lists(st.floats(-200, 200), max_size=3),
)
geometries = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("Point"), "coordinates": st.lists(coordinates, max_size=4)}
    ),  # fmt: skip
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Polygon", "LineString", "", "point"]),
            "coordinates": json_values,
        }
    ),  # fmt: skip
    json_values,
)
properties = st.dictionaries(st.sampled_from(COLUMNS) | hostile_text,
                             field_text | json_values, max_size=8)  # fmt: skip
features = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("Feature"), "geometry": geometries, "properties": properties},
        optional={"id": json_values},
    ),
    json_values,
)


@bounded(25)
@given(items=st.lists(features, max_size=6), encoding=st.sampled_from(ENCODINGS))
def test_hostile_geojson_is_imported_or_refused_naming_an_object(items, encoding):
    forget_source()
    text = json.dumps({"type": "FeatureCollection", "features": items}, ensure_ascii=False,
                      allow_nan=True)  # fmt: skip
    error, imported = import_file(encode(text, encoding), "geojson", ".geojson")
    if error is None:
        assert imported and all(i.name for i in imported)


elements = st.one_of(
    st.fixed_dictionaries(
        {"id": json_values, "name": field_text | json_values},
        optional={
            "geo": st.dictionaries(st.sampled_from(["latitude", "longitude"]), coordinates)
            | json_values,
            "address": st.dictionaries(
                st.sampled_from(["streetAddress", "addressLocality", "postalCode"]),
                field_text | json_values,
            )
            | json_values,
            "categories": json_values,
            "descriptionMore": field_text | json_values,
        },
    ),  # fmt: skip
    st.lists(json_values, max_size=6),  # the compact form
    json_values,
)


@bounded(25)
@given(items=st.lists(elements, max_size=6), mapping=st.none() | json_values)
def test_hostile_gogocarto_is_imported_or_refused_naming_an_element(items, mapping):
    forget_source()
    document = {"licence": "ODbL", "ontology": "gogofull", "data": items}
    if mapping is not None:
        document["mapping"] = mapping
    error, imported = import_file(json.dumps(document).encode(), "gogocarto", ".json")
    if error is None:
        assert imported and all(i.name for i in imported)
