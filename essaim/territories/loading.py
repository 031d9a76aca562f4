"""Loads the bundled territory files (data/territories/*.csv) into the database.

Upserts by code in one transaction with ``INSERT … ON CONFLICT`` statements (same SQL on
SQLite and PostgreSQL; the ORM's per-object overhead made it 5× slower): running it again
changes nothing, and a newer data file updates names, populations and links in place.
Territories are never deleted, because content may point to a commune that a newer COG
has merged; only postal-code pairs that the data no longer has are removed.
"""

import csv
from collections import Counter, defaultdict
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from wagtail.search.backends import get_search_backend

from essaim.territories.models import EPCI, Commune, Departement, PostalCode, Region
from essaim.territories.names import fold

DATA_DIR = Path(settings.BASE_DIR) / "data" / "territories"
BATCH = 500  # rows per statement: 500 × 9 columns stays under SQLite's 32,766 parameters


def read_rows(directory: Path, name: str) -> list[dict]:
    with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def upsert(model, columns: list[str], rows: list[tuple], *, key: tuple = ("code",)) -> int:
    """Inserts ``rows`` (tuples in ``columns`` order), updating the rows whose key exists."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    row_placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = [f"{quote(c)} = excluded.{quote(c)}" for c in columns if c not in key]
    action = f"UPDATE SET {', '.join(updates)}" if updates else "NOTHING"
    table, conflict = quote(model._meta.db_table), ", ".join(quote(column) for column in key)
    if connection.vendor == "postgresql":
        return copy_upsert(table, names, columns, rows, f"ON CONFLICT ({conflict}) DO {action}")
    with connection.cursor() as cursor:
        # Multi-row VALUES: one statement per batch of rows.
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            values = ", ".join([row_placeholder] * len(batch))
            # Table and column names come from the model, values are parameters.
            sql = f"INSERT INTO {table} ({names}) VALUES {values} ON CONFLICT ({conflict}) DO {action}"  # noqa: E501, S608
            cursor.execute(sql, [value for row in batch for value in row])
    return len(rows)


def copy_upsert(table: str, names: str, columns: list[str], rows: list[tuple], tail: str) -> int:
    """PostgreSQL: COPY into a temporary table, then one INSERT … SELECT (10× faster)."""
    with connection.cursor() as cursor:
        cursor.execute(  # column types of the target, no constraints
            f"CREATE TEMPORARY TABLE essaim_load ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA"  # noqa: E501, S608
        )
        with cursor.cursor.copy(f"COPY essaim_load ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM essaim_load {tail}")  # noqa: S608 (names from the model)
        cursor.execute("DROP TABLE essaim_load")
    return len(rows)


def number(value: str) -> int:
    return int(value or 0)


def optional_float(value: str) -> float | None:
    return float(value) if value else None


def main_departements(communes: list[dict]) -> dict[str, str]:
    """Each EPCI's département holding most of its population (EPCI may straddle several)."""
    weights: dict[str, Counter] = defaultdict(Counter)
    for row in communes:
        if row["epci"]:
            weights[row["epci"]][row["departement"]] += number(row["population"]) + 1
    return {epci: counter.most_common(1)[0][0] for epci, counter in weights.items()}


def load_regions(rows: list[dict]) -> int:
    columns = ["code", "name", "name_folded", "population"]
    values = [(r["code"], r["name"], fold(r["name"]), number(r["population"])) for r in rows]
    return upsert(Region, columns, values)


def load_departements(rows: list[dict]) -> int:
    columns = ["code", "name", "name_folded", "region_id", "population"]
    values = [
        (r["code"], r["name"], fold(r["name"]), r["region"], number(r["population"])) for r in rows
    ]
    return upsert(Departement, columns, values)


def load_epcis(rows: list[dict], communes: list[dict], departements: list[dict]) -> int:
    region_of = {row["code"]: row["region"] for row in departements}
    main = main_departements(communes)
    columns = ["code", "name", "name_folded", "kind", "population", "departement_id", "region_id"]
    values = [
        (r["code"], r["name"], fold(r["name"]), r["kind"], number(r["population"]),
         main.get(r["code"]), region_of.get(main.get(r["code"])))
        for r in rows
    ]  # fmt: skip
    return upsert(EPCI, columns, values)


def load_communes(rows: list[dict]) -> int:
    columns = [
        "code", "name", "name_folded", "departement_id", "region_id", "epci_id",
        "population", "latitude", "longitude",
    ]  # fmt: skip
    values = [
        (r["code"], r["name"], fold(r["name"]), r["departement"], r["region"], r["epci"] or None,
         number(r["population"]), optional_float(r["latitude"]), optional_float(r["longitude"]))
        for r in rows
    ]  # fmt: skip
    return upsert(Commune, columns, values)


def load_postal_codes(communes: list[dict]) -> int:
    """Adds the missing (code, commune) pairs and removes the pairs the data no longer has."""
    wanted = {(code, row["code"]) for row in communes for code in row["postal_codes"].split()}
    existing = set(PostalCode.objects.values_list("code", "commune_id"))
    for code, commune in existing - wanted:
        PostalCode.objects.filter(code=code, commune_id=commune).delete()
    upsert(
        PostalCode, ["code", "commune_id"], sorted(wanted - existing), key=("code", "commune_id")
    )
    return len(wanted)


@transaction.atomic
def load_territories(*, directory: Path = DATA_DIR) -> dict[str, int]:
    """Upserts every région, département, EPCI, commune and postal code; returns the counts."""
    departements = read_rows(directory, "departements")
    communes = read_rows(directory, "communes")
    return {
        "régions": load_regions(read_rows(directory, "regions")),
        "départements": load_departements(departements),
        "EPCI": load_epcis(read_rows(directory, "epci"), communes, departements),
        "communes": load_communes(communes),
        "codes postaux": load_postal_codes(communes),
    }


def index_territories() -> int:
    """Refreshes the site-search entries of territories (see Territory for the scope)."""
    backend = get_search_backend()
    count = 0
    for model in (Region, Departement, EPCI, Commune):
        objects = list(model.get_indexed_objects())
        backend.add_bulk(model, objects)
        count += len(objects)
    return count
