"""Foundation figures: territory loading, autocomplete, territory pages, search.

Run by ``make bench`` on SQLite (var/bench/) or on PostgreSQL with DATABASE_URL.
"""

import random
import time

from django.test import Client

from bench.harness import migrated_database, timed_get
from bench.results import Figure, percentile, timed_ms

QUERIES = ["tours", "37000", "orl", "saint-e", "blois", "chateau", "45", "bourges", "epain"]


def run() -> list[Figure]:
    migrated_database()
    from essaim.taxonomy.services import load_themes
    from essaim.territories.loading import index_territories, load_territories
    from essaim.territories.models import Commune
    from essaim.territories.territory import suggest

    start = time.perf_counter()
    counts = load_territories()
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    index_territories()
    index_s = time.perf_counter() - start
    load_themes()
    figures = [
        Figure("territories: load all of France", load_s, "s"),
        Figure("territories: communes loaded", counts.get("communes", 0), "rows"),
        Figure("territories: index home région for search", index_s, "s"),
    ]

    samples = []
    for query in QUERIES * 20:
        samples += timed_ms(lambda q=query: suggest(q), 1)
    figures.append(Figure("autocomplete suggest() p95", percentile(samples, 95), "ms", 30))

    client = Client()
    rng = random.Random(24)
    codes = list(Commune.objects.filter(region_id="24").values_list("code", flat=True))
    keys = rng.sample(codes, 100) + ["37", "45", "region-24", "243700754"] * 5
    results = [timed_get(client, f"/territoires/{key}/") for key in keys]
    figures += [
        Figure("territory page p95 server time", percentile([r[0] for r in results], 95), "ms", 60),
        Figure("territory page max SQL queries", max(r[2] for r in results), "queries", 15),
    ]

    results = [timed_get(client, f"/recherche/?q={q}") for q in QUERIES * 10]
    figures.append(
        Figure("search page p95 server time", percentile([r[0] for r in results], 95), "ms", 60)
    )
    return figures
