import pytest
from django.db import connection, models

from essaim.common.bulk import among, empty_tables, insert_rows, reserve_ids
from essaim.initiatives.models import Initiative
from essaim.initiatives.models.clusters import MapCell, MapPoint
from tests.initiatives.conftest import make_initiative

pytestmark = pytest.mark.django_db
CELL_COLUMNS = ["scope", "zoom", "cx", "cy", "count", "x_sum", "y_sum", "id_sum"]


def cells() -> list[tuple]:
    return list(MapCell.objects.order_by("scope", "zoom").values_list(*CELL_COLUMNS))


def test_insert_rows_writes_every_row_with_its_values():
    rows = [("", 3, 1, 2, 1, 10, 20, 7), ("d45", 3, -1, 0, 2, 11, 21, 9)]

    insert_rows(MapCell._meta.db_table, CELL_COLUMNS, rows)

    assert cells() == rows


def stored(field, obj):
    value = field.value_from_object(obj)
    return value.name if isinstance(field, models.FileField) else value


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_insert_rows_takes_json_text_and_nulls_in_an_initiative_row(binary):
    fields = ["name", "slug", "summary", "social_links", "latitude", "status", "created_at"]
    columns = [Initiative._meta.get_field(name).column for name in fields]
    made = make_initiative(name="Modèle")
    rest = {f.column: stored(f, made) for f in Initiative._meta.concrete_fields}
    rest = {c: v for c, v in rest.items() if c not in {"id", "social_links", *columns}}
    values = ("Café ; « solidaire »\tà Tours", "cafe", "Un café.", '["https://a.example"]',
              None, "published", made.created_at)  # fmt: skip

    insert_rows(
        Initiative._meta.db_table, [*columns, *rest], [(*values, *rest.values())], binary=binary
    )

    cafe = Initiative.objects.get(slug="cafe")
    assert (cafe.name, cafe.social_links, cafe.latitude, cafe.created_at) == (
        "Café ; « solidaire »\tà Tours",
        ["https://a.example"],
        None,
        made.created_at,
    )


def test_among_matches_exactly_the_listed_values():
    table = Initiative._meta.db_table
    for name in ["Un", "Deux", "Trois"]:
        make_initiative(name=name)

    def names(values):
        found = Initiative.objects.filter(among(table, "slug", values)).order_by("name")
        return list(found.values_list("name", flat=True))

    assert names(["un", "trois", "absent"]) == ["Trois", "Un"]
    assert names([]) == []


def test_reserved_ids_are_new_and_distinct_on_postgresql_only():
    existing = make_initiative(name="Avant")

    ids = reserve_ids(Initiative, 3)

    if connection.vendor == "postgresql":
        assert len(set(ids)) == 3
        assert min(ids) > existing.pk
        assert make_initiative(name="Après").pk > max(ids)
    else:
        assert ids is None


def test_empty_tables_removes_rows_written_earlier_in_the_transaction():
    make_initiative()  # on the map: a point whose foreign-key check is still deferred
    assert MapPoint.objects.count() == 1

    empty_tables(MapCell._meta.db_table, MapPoint._meta.db_table)

    assert (cells(), MapPoint.objects.count()) == ([], 0)
    make_initiative(name="Après")  # and the transaction goes on
    assert MapPoint.objects.count() == 1
