"""Import of 100,000 initiatives from CSV: seconds and peak memory (target ≤ 15 s, ≤ 300 MB).

Generates a semicolon CSV of ``BENCH_IMPORT_ROWS`` rows (default 100,000) over the
communes of France, imports it into a fresh source (all creations), then re-imports it
(all unchanged). Peak memory is the process's maximum resident set (resource.getrusage),
an upper bound that includes Django and the territory tables.
Run on SQLite (default) or PostgreSQL (``DATABASE_URL=postgres://…``).
"""

import csv
import os
import random
import resource
import sys
import time
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction

from bench.results import Figure

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
WORDS = ["Ressourcerie", "Jardin", "Café", "Épicerie", "Atelier", "Recyclerie", "AMAP",
         "Tiers-lieu", "Coopérative", "Repair café", "Friperie", "Garage solidaire"]  # fmt: skip


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def prepare() -> None:
    from essaim.territories.models import Commune

    call_command("migrate", verbosity=0)
    if not Commune.objects.exists():
        call_command("load_territories", verbosity=0)


def generate(path: Path) -> None:
    from essaim.territories.models import Commune

    communes = list(Commune.objects.exclude(latitude=None).values_list(
        "code", "name", "latitude", "longitude"))  # fmt: skip
    rng = random.Random(42)
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(["id", "nom", "description", "code_insee", "commune", "latitude",
                         "longitude", "site_web", "themes"])  # fmt: skip
        for n in range(ROWS):
            code, name, lat, lon = rng.choice(communes)
            writer.writerow([f"b{n}", f"{rng.choice(WORDS)} de {name} n° {n}",
                             "Une initiative de l'économie sociale et solidaire.", code, name,
                             round(lat + rng.uniform(-0.02, 0.02), 6),
                             round(lon + rng.uniform(-0.02, 0.02), 6),
                             f"https://exemple-{n}.org", ""])  # fmt: skip


def clear_earlier_runs() -> None:
    """Plain SQL: the ORM's cascading delete of 100,000 rows would dominate peak memory.
    The map forgets the deleted rows through the same set-based deltas as an import (a
    full rebuild took a minute at a million initiatives)."""
    from essaim.initiatives import clustering
    from essaim.initiatives.models import ImportSource, Initiative

    table = Initiative._meta.db_table
    through = Initiative.themes.through._meta.db_table
    bench_rows = f"SELECT id FROM {table} WHERE slug LIKE '%%-n-%%'"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(bench_rows)
        ids = [pk for (pk,) in cursor.fetchall()]
        cursor.execute(f"DELETE FROM {through} WHERE initiative_id IN ({bench_rows})")
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({bench_rows})")
        if ids:  # their points out, their cells' deltas applied
            clustering.refresh_in_bulk(ids)
    ImportSource.objects.filter(name="bench").delete()
    if connection.vendor == "postgresql":
        # What autovacuum would do soon after (and in the middle of the next import): the
        # deleted rows' index entries, with the very slugs the import writes again, made
        # each slug look-up visit a dead row.
        from essaim.initiatives.models import MapCell, MapPoint

        tables = [table, through, MapPoint._meta.db_table, MapCell._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")


def server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend (same machine), else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_import(path: Path, source) -> tuple[float, object]:
    """Wall seconds of one import, printing CPU seconds (load-independent) besides."""
    from essaim.initiatives import imports
    from essaim.initiatives.models import ImportRun

    run = ImportRun.objects.create(source=source, location=str(path), fmt="csv")
    client, server = time.process_time(), server_cpu()
    start = time.perf_counter()
    imports.run_import(run=run)
    wall = time.perf_counter() - start
    client = time.process_time() - client
    server = f", server {server_cpu() - server:.1f} s" if server is not None else ""
    load = os.getloadavg()[0]
    print(f"   wall {wall:.1f} s; CPU: client {client:.1f} s{server}; load {load:.2f}")
    return wall, run


def run() -> list[Figure]:
    from essaim.initiatives.models import ImportSource

    prepare()
    path = Path("var/bench/initiatives-100k.csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    generate(path)
    clear_earlier_runs()
    source = ImportSource.objects.create(name="bench", kind="csv")
    before = peak_mb()
    seconds, first = timed_import(path, source)
    peak = peak_mb()
    again, second = timed_import(path, source)
    engine = connection.vendor
    print(f"   {first.created} created, then {second.unchanged} unchanged; peak before import "
          f"{before:.0f} MB")  # fmt: skip
    return [
        Figure(f"import {ROWS} CSV rows, all new ({engine})", seconds, "s", target=15),
        Figure(f"import peak memory, process ({engine})", peak, "MB", target=300),
        Figure(f"re-import {ROWS} CSV rows, unchanged ({engine})", again, "s", target=15),
    ]
