"""Search across every module with BENCH_SIZE (default 1,000,000) initiatives indexed.

Builds its database once (reused while it holds enough): the home region's territories,
indexed through the project's path, and ``bench.generate``'s initiatives (names such as
"Jardin partagé de Vierzon 123456", one or two themes, a commune each; 90 % public),
indexed in bulk by ``bench.search_index`` after checking, on five of them, that the bulk
rows equal the project's. No map rebuild: the search does not read the map's tables.
Then times the first page of /recherche/?q=… through Django's test Client (server time,
in-process), five times each, for common words (a tenth to all of the documents),
middling ones, rare ones and two-word queries, and page 2 of the common ones.
Target (#13): p95 ≤ 30 ms for the first page.
"""

import os
import time

from django.core.management import call_command
from django.db import connection
from django.test import Client

from bench.generate import bench_size, generate
from bench.results import Figure, percentile

QUERIES = {
    "common": ["café", "jardin", "solidaire", "atelier vélo", "thème"],
    "middling": ["orléans", "ressourcerie", "amap tours", "recyclerie", "partagé lyon"],
    "rare": ["vierzon", "chambord", "123457", "garage", "zzzz"],
}
REPEAT = 5


def prepare(size: int) -> list[Figure]:
    from essaim.initiatives.models import Initiative
    from essaim.territories.loading import index_territories, load_territories
    from essaim.territories.models import Region

    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        load_territories()
        index_territories()
    figures = []
    if (missing := size - Initiative.objects.count()) > 0:
        seconds = generate(missing)
        figures.append(Figure(f"generate {missing:,} initiatives ({connection.vendor})",
                              seconds, "s"))  # fmt: skip
    return figures


def index_missing() -> tuple[int, float]:
    """Index the initiatives after the last one indexed, in bulk; (count, seconds)."""
    from django.db.models import IntegerField, Max
    from django.db.models.functions import Cast
    from modelsearch.conf import get_app_config

    from bench import search_index
    from essaim.initiatives.models import Initiative

    entries = (
        get_app_config()
        .get_model("IndexEntry")
        .objects.filter(content_type__app_label="initiatives", content_type__model="initiative")
    )
    last = entries.aggregate(last=Max(Cast("object_id", IntegerField())))["last"] or 0
    sample = list(
        Initiative.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:5]
    )
    if not sample:
        return 0, 0.0
    if differences := search_index.differences(sample):  # indexes the sample, project's way
        raise AssertionError("bulk index rows differ from the project's: " + "; ".join(differences))
    start = time.perf_counter()
    count = search_index.index_initiatives(sample[-1], progress=_progress(start))
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load
        if connection.vendor == "postgresql":
            # Also merges the GIN indexes' pending lists, which every search reads
            # otherwise (+50 ms for a word found nowhere after a million inserts).
            cursor.execute(f"VACUUM ANALYZE {entries.model._meta.db_table}")
        cursor.execute("ANALYZE")
    return count, time.perf_counter() - start


def _progress(start: float):
    def report(count: int) -> None:
        if count % 200_000 == 0:
            print(f"   indexed {count:,} in {time.perf_counter() - start:.0f} s", flush=True)

    return report


def indexed() -> int:
    from modelsearch.conf import get_app_config

    return get_app_config().get_model("IndexEntry").objects.count()


def timed(client: Client, params: dict) -> float:
    start = time.perf_counter()
    response = client.get("/recherche/", params)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (params, response.status_code)
    return elapsed


def run() -> list[Figure]:
    size = bench_size()
    figures = prepare(size)
    # BENCH_SEARCH_INDEX=0: measure what the index holds, without indexing the rest.
    count, seconds = index_missing() if os.environ.get("BENCH_SEARCH_INDEX", "1") == "1" else (0, 0)
    label = f"{indexed():,} documents indexed, {size:,} initiatives, {connection.vendor}"
    if count:
        figures.append(Figure(f"search: bulk-index {count:,} initiatives ({label})", seconds, "s"))
    client = Client()
    timed(client, {"q": "jardin"})  # warm: templates, content types
    all_times = []
    for kind, words in QUERIES.items():
        times = []
        for word in words:
            times += [timed(client, {"q": word}) for _ in range(REPEAT)]
            print(f"   {word!r}: {sorted(times[-REPEAT:])[REPEAT // 2]:.0f} ms median", flush=True)
        all_times += times
        figures.append(Figure(f"search first page, {kind} words, p95 ({label})",
                              percentile(times, 95), "ms", 30))  # fmt: skip
    second = [timed(client, {"q": w, "page": 2}) for w in QUERIES["common"] for _ in range(REPEAT)]
    print(f"   load {os.getloadavg()[0]:.2f}")
    figures.append(Figure(f"search first page, all, p50 ({label})",
                          percentile(all_times, 50), "ms", 30))  # fmt: skip
    figures.append(Figure(f"search first page, all, p95 ({label})",
                          percentile(all_times, 95), "ms", 30))  # fmt: skip
    figures.append(Figure(f"search page 2, common words, p95 ({label})",
                          percentile(second, 95), "ms", 30))  # fmt: skip
    return figures
