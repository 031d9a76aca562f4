"""Generate N public initiatives over France for the map benchmark (``BENCH_SIZE``).

Points: communes' points from data/territories/communes.csv with ~2 km jitter, chosen at
random (weighted towards populous communes); status mix: 90 % published, 6 % pending,
2 % hidden, 2 % rejected; one or two themes each. Rows are written with executemany in
one transaction (bypassing model signals; ``COPY`` on PostgreSQL, where an
``executemany`` of a million rows took minutes), then ``initiatives_changed`` is not sent:
the caller runs ``clustering.rebuild()`` as a large import would.
"""

import csv
import os
import random
import time
from datetime import UTC, datetime
from pathlib import Path

from django.db import connection, transaction

from essaim.common.bulk import insert_rows

ROOT = Path(__file__).resolve().parent.parent
STATUSES = ["published"] * 90 + ["pending"] * 6 + ["hidden"] * 2 + ["rejected"] * 2
WORDS = ["Repair café", "Jardin partagé", "Épicerie solidaire", "Ressourcerie", "AMAP",
         "Tiers-lieu", "Recyclerie", "Café associatif", "Coopérative", "Atelier vélo"]  # fmt: skip


def bench_size() -> int:
    return int(os.environ.get("BENCH_SIZE", "1000000"))


def communes() -> list[tuple]:
    with (ROOT / "data" / "territories" / "communes.csv").open(encoding="utf-8") as file:
        rows = [r for r in csv.DictReader(file) if r["latitude"] and r["longitude"]]
    return [(r["code"], r["name"], float(r["latitude"]), float(r["longitude"]),
             int(r["population"] or 0)) for r in rows]  # fmt: skip


def ensure_themes() -> list[tuple[int, int | None]]:
    from essaim.taxonomy.models import Theme

    if not Theme.objects.exists():
        for i in range(8):
            parent = Theme.objects.create(name=f"Thème {i}", slug=f"theme-{i}", position=i)
            for j in range(3):
                Theme.objects.create(name=f"Sous-thème {i}.{j}", slug=f"theme-{i}-{j}",
                                     parent=parent, position=j)  # fmt: skip
    return list(Theme.objects.values_list("pk", "parent_id"))


def generate(size: int | None = None, *, seed: int = 7) -> float:
    """Insert ``size`` initiatives and their themes; returns the seconds it took."""
    from essaim.initiatives.models import Initiative

    size = size or bench_size()
    rng = random.Random(seed)
    places = communes()
    weights = [1 + (p[4] ** 0.5) for p in places]
    themes = ensure_themes()
    table = Initiative._meta.db_table
    through = Initiative.themes.through._meta.db_table
    start = time.perf_counter()
    first = (Initiative.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with transaction.atomic(), connection.cursor() as cursor:
        for offset in range(0, size, 20_000):
            count = min(20_000, size - offset)
            chosen = rng.choices(places, weights=weights, k=count)
            rows, links = [], []
            for n, (code, name, lat, lon, _) in enumerate(chosen):
                pk = first + offset + n
                status = rng.choice(STATUSES)
                rows.append(initiative_row(pk, status, code, name, lat, lon, rng))
                for theme in rng.sample(themes, rng.choice((1, 1, 2))):
                    links.append((pk, theme[0]))
            if connection.vendor == "postgresql":
                insert_rows(table, COLUMNS, [(*row[:7], *CONSTANTS, row[7]) for row in rows])
                insert_rows(through, ["initiative_id", "theme_id"], links)
                continue
            cursor.executemany(INSERT.format(table=table), rows)
            cursor.executemany(
                f"INSERT INTO {through} (initiative_id, theme_id) VALUES (%s, %s)",  # noqa: S608 (no user input)
                links,
            )
    if connection.vendor == "postgresql":  # ids were given: move the sequence past them
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (no user input)
                           f"(SELECT MAX(id) FROM {table}))")  # fmt: skip
    return time.perf_counter() - start


INSERT = (
    "INSERT INTO {table} (id, name, slug, summary, description, address, postal_code, "
    "commune_id, latitude, longitude, geocoding, email, email_public, phone, website, "
    "social_links, opening_hours, legal_form, siret, rna, organisation_name, edit_secret, "
    "source_key, licence, created_at, updated_at, status, is_hidden, submitter_email, image, "
    "image_alt, image_credit) "
    "VALUES (%s, %s, %s, '', '', '', '', %s, %s, %s, 'exact', '', FALSE, '', '', '[]', '', "
    "'', '', '', '', 'x', '', 'ODbL-1.0', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, %s, %s, '', "
    "'', '', '')"
)


# The same rows for COPY: INSERT's columns with its literals as values, ``is_hidden`` last.
COLUMNS = ["id", "name", "slug", "commune_id", "latitude", "longitude", "status",
           "summary", "description", "address", "postal_code", "geocoding", "email",
           "email_public", "phone", "website", "social_links", "opening_hours", "legal_form",
           "siret", "rna", "organisation_name", "edit_secret", "source_key", "licence",
           "created_at", "updated_at", "submitter_email", "image", "image_alt", "image_credit",
           "is_hidden"]  # fmt: skip
NOW = datetime.now(UTC)
CONSTANTS = ("", "", "", "", "exact", "", False, "", "", "[]", "", "", "", "", "", "x", "",
             "ODbL-1.0", NOW, NOW, "", "", "", "")  # fmt: skip


def initiative_row(pk, status, code, commune_name, lat, lon, rng) -> tuple:
    hidden = status == "hidden"
    return (
        pk,
        f"{rng.choice(WORDS)} de {commune_name} {pk}",
        f"bench-{pk}",
        code,
        lat + rng.gauss(0, 0.015),
        lon + rng.gauss(0, 0.02),
        "published" if hidden else status,
        hidden,
    )
