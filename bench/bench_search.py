"""Search across every module with BENCH_SIZE (default 1,000,000) initiatives indexed.

Uses the map benchmark's database (``bench.bench_map.prepare``: names such as "Jardin
partagé de Vierzon 123456", one or two themes, a commune each), then indexes every
initiative not yet in the search index through the project's own path (the backend's
``add_bulk`` in keyset pages of 1,000, as ``initiatives.tasks.index_imported`` does after
an import; seconds reported). Then times the first page of /recherche/?q=… through
Django's test Client (server time, in-process), five times each, for common words
(a third to a fifth of the documents), middling ones, rare ones and two-word queries.
Target (#13): p95 ≤ 30 ms for the first page.
"""

import os
import time

from django.db import connection
from django.test import Client

from bench.bench_map import prepare
from bench.generate import bench_size
from bench.results import Figure, percentile

QUERIES = {
    "common": ["café", "jardin", "solidaire", "atelier vélo", "thème"],
    "middling": ["orléans", "ressourcerie", "amap tours", "recyclerie", "partagé lyon"],
    "rare": ["vierzon", "chambord", "123457", "garage", "zzzz"],
}
REPEAT = 5


def index_missing(progress_every: int = 100_000) -> tuple[int, float]:
    """Index the initiatives after the last one indexed; (count, seconds)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import IntegerField, Max
    from django.db.models.functions import Cast
    from modelsearch.conf import get_app_config
    from wagtail.search.backends import get_search_backend

    from essaim.initiatives.models import Initiative

    IndexEntry = get_app_config().get_model("IndexEntry")  # noqa: N806 (a model class)
    content_type = ContentType.objects.get_for_model(Initiative)
    entries = IndexEntry.objects.filter(content_type=content_type)
    last = entries.aggregate(last=Max(Cast("object_id", IntegerField())))["last"] or 0
    backend, count, start = get_search_backend(), 0, time.perf_counter()
    while chunk := list(
        Initiative.objects.filter(pk__gt=last).order_by("pk")[:1000]
        .prefetch_related("themes").select_related("commune")
    ):  # fmt: skip
        backend.add_bulk(Initiative, chunk)
        count, last = count + len(chunk), chunk[-1].pk
        if count % progress_every == 0:
            print(f"   indexed {count:,} in {time.perf_counter() - start:.0f} s", flush=True)
    if count:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return count, time.perf_counter() - start


def indexed() -> int:
    from modelsearch.conf import get_app_config

    return get_app_config().get_model("IndexEntry").objects.count()


def run() -> list[Figure]:
    size = bench_size()
    os.environ.setdefault("BENCH_REUSE_CLUSTERS", "1")
    figures = prepare(size)
    # BENCH_SEARCH_INDEX=0: measure what the index holds (indexing a million through the
    # project's path takes ~45 min on the shared machine).
    count, seconds = index_missing() if os.environ.get("BENCH_SEARCH_INDEX", "1") == "1" else (0, 0)
    label = f"{indexed():,} documents indexed, {size:,} initiatives, {connection.vendor}"
    if count:
        figures.append(Figure(f"search: index {count:,} initiatives ({label})", seconds, "s"))
    client = Client()
    client.get("/recherche/?q=jardin")  # warm: templates, content types
    all_times = []
    for kind, words in QUERIES.items():
        times = []
        for word in words:
            for _ in range(REPEAT):
                start = time.perf_counter()
                response = client.get("/recherche/", {"q": word})
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (word, response.status_code)
            print(f"   {word!r}: {sorted(times[-REPEAT:])[REPEAT // 2]:.0f} ms median")
        all_times += times
        figures.append(Figure(f"search first page, {kind} words, p95 ({label})",
                              percentile(times, 95), "ms", 30))  # fmt: skip
    print(f"   load {os.getloadavg()[0]:.2f}")
    figures.append(Figure(f"search first page, all, p50 ({label})",
                          percentile(all_times, 50), "ms", 30))  # fmt: skip
    figures.append(Figure(f"search first page, all, p95 ({label})",
                          percentile(all_times, 95), "ms", 30))  # fmt: skip
    return figures
