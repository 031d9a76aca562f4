"""Cached anonymous pages at 32 connections (issue #13: ≥ 1,500 requests/s, p99 ≤ 50 ms).

`essaim serve` (gunicorn as deployed) on a fresh copy of the demo site with Redis, so the
anonymous page cache is on as in production (bench/soak.py starts it). Every page of the
list is fetched once to fill the cache; the bench then checks that each is served from it
(``X-Page-Cache: hit``) and drives the server closed-loop from 32 keep-alive connections
for ``BENCH_CACHED_SECONDS`` (20), round-robin over the pages. Latency is from sending a
request to its last byte.

The client is bench/soak.py's small HTTP/1.1 keep-alive connection over asyncio streams.
The client's own CPU is printed with the figures.

Environment: ``REDIS_URL`` (required: without Redis the cache is off and the bench says
so; its database is emptied first), ``BENCH_CACHED_SECONDS``, ``BENCH_CACHED_CONNECTIONS``
(32), ``BENCH_CACHED_WORKERS`` (0: `essaim serve`'s default).
"""

import asyncio
import os
import resource
import time
from collections import Counter

from bench.results import Figure, percentile
from bench.soak import (
    HEADERS,
    Connection,
    demo_data_dir,
    empty_redis,
    free_port,
    server_cpu,
    start_server,
    stop_server,
)

SECONDS = float(os.environ.get("BENCH_CACHED_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("BENCH_CACHED_CONNECTIONS", "32"))
WORKERS = int(os.environ.get("BENCH_CACHED_WORKERS", "0"))
PAGES = ["/", "/carte/", "/agenda/", "/initiatives/", "/articles/", "/experiences/",
         "/annuaire/", "/consultations/", "/veille/", "/observatoire/"]  # fmt: skip


def run() -> list[Figure]:
    if not os.environ.get("REDIS_URL"):
        print("   skipped: REDIS_URL is not set, so the page cache is off")
        return []
    with open("/proc/loadavg") as f:
        print(f"   load before: {f.read().strip()}")
    data_dir, port = demo_data_dir(), free_port()
    empty_redis()
    server = start_server(data_dir, port, WORKERS)
    try:
        pages = asyncio.run(_warm(port))
        before = server_cpu(server.pid)
        result = asyncio.run(_drive(port, pages))
        cpu_seconds = server_cpu(server.pid) - before
    finally:
        stop_server(server)
    with open("/proc/loadavg") as f:
        print(f"   load after: {f.read().strip()}")
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"   client CPU {own.ru_utime + own.ru_stime:.1f} s; statuses "
          f"{dict(result['statuses'])}; cache {dict(result['cache'])}")  # fmt: skip
    latencies = result["latencies"] or [0.0]
    label = f"cached anonymous pages, {CONNECTIONS} connections"
    # On a shared machine the rate depends on what else runs; the server's CPU time per
    # answer does not, and says what two cores of its own would serve.
    cpu_ms = 1000 * cpu_seconds / max(1, len(result["latencies"]))
    return [
        Figure(f"{label}: server CPU per answer", cpu_ms, "ms"),
        Figure(f"{label}: rate two cores of CPU allow (2 s / CPU per answer)",
               2000 / cpu_ms if cpu_ms else 0, "req/s", target=1500, higher_is_better=True),
        Figure(f"{label}: throughput", len(result["latencies"]) / result["elapsed"], "req/s",
               target=1500, higher_is_better=True),
        Figure(f"{label}: p50", percentile(latencies, 50), "ms"),
        Figure(f"{label}: p99", percentile(latencies, 99), "ms", target=50),
        # A page kept by an earlier run may expire during this one: a miss a minute each.
        Figure(f"{label}: share served from the cache",
               100 * result["cache"].get("hit", 0) / max(1, len(result["latencies"])), "%"),
    ]  # fmt: skip


async def _warm(port: int) -> list[str]:
    """Fill the cache; keep the pages it serves, and say which it does not keep."""
    connection, kept = Connection(port), []
    for path in PAGES:
        await connection.request("GET", path, HEADERS)
        status, headers = await connection.request("GET", path, HEADERS)
        if status == 200 and headers.get("x-page-cache") == "hit":
            kept.append(path)
        else:
            print(f"   {path}: not served from the cache ({status}, "
                  f"X-Page-Cache {headers.get('x-page-cache')}, "
                  f"Set-Cookie {'set-cookie' in headers})")  # fmt: skip
    print(f"   {len(kept)} of {len(PAGES)} pages served from the cache")
    return kept or PAGES


async def _drive(port: int, pages: list[str]) -> dict:
    latencies, statuses, cache = [], Counter(), Counter()
    deadline = time.perf_counter() + SECONDS

    async def loop(n: int) -> None:
        connection = Connection(port)
        while (now := time.perf_counter()) < deadline:
            status, headers = await connection.request("GET", pages[n % len(pages)], HEADERS)
            latencies.append((time.perf_counter() - now) * 1000)
            statuses[status] += 1
            cache[headers.get("x-page-cache", "none")] += 1
            n += 1

    start = time.perf_counter()
    await asyncio.gather(*(loop(n) for n in range(CONNECTIONS)))
    return {"latencies": latencies, "statuses": statuses, "cache": cache,
            "elapsed": time.perf_counter() - start}  # fmt: skip
