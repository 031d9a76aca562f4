"""Soak: the production server under a fixed rate of mixed reads and writes (issue #12 item
10: 10 minutes at 200 requests/s, no error, memory flat).

`essaim serve` (gunicorn, as deployed) on a fresh copy of the demo site (SQLite under
var/bench/soak/; with DATABASE_URL, that database, migrated and demo-loaded if empty),
driven open-loop (bench/soak.py says how). Environment:

- ``BENCH_SOAK_SECONDS`` (600) and ``BENCH_SOAK_RATE`` (200 requests/s);
- ``BENCH_SOAK_WORKERS`` (0: `essaim serve`'s default, 2 per CPU + 1);
- ``BENCH_SOAK_WRITES`` (0.05): the share of requests that propose something;
- ``BENCH_SOAK_WARM_UP`` (1): every page of the mix is asked for once before the run, as
  on a site in service whose pages are kept; 0 starts with a cold cache (at 200/s of
  2,357 distinct pages the first minute then overloads two cores: about 1,000 requests
  given up);
- ``REDIS_URL``, ``DATABASE_URL``: passed on to the server (Redis turns the anonymous page
  cache on, as in production; ``BENCH_SOAK_PAGE_CACHE`` sets its lifetime, 0 turns it off).
  The Redis database is emptied first: give the bench one of its own.

Figures: requests sent, achieved rate, errors (anything but 2xx/3xx and the expected
429), latency p50/p95/p99 from each request's scheduled instant, and each gunicorn
worker's VmRSS. Memory "start" is the first sample after a warm-up (the first tenth of the
run, at most 30 s: imports and caches fill then); "end" is the last sample under load.
`essaim serve` does not recycle its workers (see its comment): the count of workers seen
is printed, and the growth figure compares the largest worker at both ends. A timeline per
30 s shows when errors, drops, misses and slow answers happened.
The timeline of samples goes to var/bench/soak.json.
"""

import json
import os
import resource

from bench.results import Figure, percentile
from bench.soak import MAX_IN_FLIGHT, ROOT, WINDOW, soak

SECONDS = float(os.environ.get("BENCH_SOAK_SECONDS", "600"))
RATE = float(os.environ.get("BENCH_SOAK_RATE", "200"))
WORKERS = int(os.environ.get("BENCH_SOAK_WORKERS", "0"))
RSS_TARGET_MB = 250
GROWTH_TARGET_MB = 25  # "flat": within what one worker's caches may hold


def run() -> list[Figure]:
    with open("/proc/loadavg") as f:
        print(f"   load before: {f.read().strip()}")
    stats, setup = soak(seconds=SECONDS, rate=RATE, workers=WORKERS)
    start, end = _memory_window(stats.rss)
    _print_details(stats, setup, start, end)
    latencies = stats.latencies_ms or [0.0]
    start_mb, end_mb = max(start[1].values()) / 1024, max(end[1].values()) / 1024
    label = f"soak {SECONDS:g} s at {RATE:g}/s"
    cpu_ms = 1000 * stats.server_cpu / max(1, stats.answered)
    return [
        Figure(f"{label}: requests sent", stats.sent, ""),
        # Answers per second over the whole run, the drain of a late server included.
        Figure(f"{label}: achieved rate", stats.answered / stats.elapsed, "req/s",
               target=RATE * 0.98, higher_is_better=True),
        Figure(f"{label}: errors", sum(stats.errors.values()) + stats.dropped, "", target=0),
        Figure(f"{label}: 429 (per-address limits)", stats.limited, ""),
        Figure(f"{label}: writes accepted", stats.writes_done, ""),
        Figure(f"{label}: latency p50", percentile(latencies, 50), "ms"),
        # What the mix costs the server, whatever else shares the machine: two cores of
        # its own would carry 2 s / (CPU per answer) answers a second.
        Figure(f"{label}: server CPU per answer", cpu_ms, "ms"),
        Figure(f"{label}: rate two cores of CPU allow", 2000 / cpu_ms if cpu_ms else 0,
               "req/s", target=RATE, higher_is_better=True),
        Figure(f"{label}: latency p95", percentile(latencies, 95), "ms"),
        Figure(f"{label}: latency p99", percentile(latencies, 99), "ms"),
        Figure(f"{label}: largest worker RSS at start", start_mb, "MB", target=RSS_TARGET_MB),
        Figure(f"{label}: largest worker RSS at end", end_mb, "MB", target=RSS_TARGET_MB),
        Figure(f"{label}: worker RSS growth", end_mb - start_mb, "MB", target=GROWTH_TARGET_MB),
    ]  # fmt: skip


def _memory_window(samples):
    """(start, end) samples: after the warm-up, and the last one under load."""
    warm_up = min(30.0, SECONDS / 10)
    loaded = [s for s in samples if s[1]]
    start = next((s for s in loaded if s[0] >= warm_up), loaded[0])
    end = loaded[-2] if len(loaded) > 1 else loaded[-1]  # the last is after the load
    return start, end


def _print_details(stats, setup, start, end) -> None:
    print(f"   {setup['detail_pages']} detail pages in the read mix; server log: "
          f"{setup['server_log']}")  # fmt: skip
    if warm_up := setup["warm_up"]:
        pages, seconds = warm_up
        print(f"   warm-up: {pages} distinct pages of the mix asked once in {seconds:.1f} s "
              f"({pages / seconds:.0f}/s at 8 connections)")  # fmt: skip
    print(f"   statuses: {dict(sorted(stats.statuses.items()))}; dropped (over "
          f"{MAX_IN_FLIGHT} in flight): {stats.dropped}")  # fmt: skip
    print(f"   page cache (X-Page-Cache): {dict(stats.page_cache)}")
    print(f"   GETs sent again after the server closed a keep-alive connection: "
          f"{stats.retried}")  # fmt: skip
    for error, count in stats.errors.most_common(10):
        print(f"   error {error}: {count}")
    print(f"   timeline, per {WINDOW:g} s: answered/s, page-cache misses, errors, dropped, p95")
    for index, window in sorted(stats.windows.items()):
        p95 = percentile(window.latencies_ms, 95) if window.latencies_ms else 0.0
        print(f"     {index * WINDOW:5.0f} s  {window.answered / WINDOW:6.1f}/s  "
              f"{window.misses:5d} misses  {window.errors:4d} errors  {window.dropped:4d} "
              f"dropped  p95 {p95:8.1f} ms")  # fmt: skip
    for name, (t, workers) in (("start", start), ("end", end)):
        sizes = ", ".join(f"{pid}: {kb / 1024:.0f} MB" for pid, kb in sorted(workers.items()))
        print(f"   worker RSS at {name} (t={t:.0f} s): {sizes}")
    pids = {pid for _t, workers in stats.rss for pid in workers}
    print(f"   workers seen: {len(pids)} (replaced during the run: "
          f"{len(pids) - len(start[1])})")  # fmt: skip
    with open("/proc/loadavg") as f:
        print(f"   load after: {f.read().strip()}")
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"   the client's own CPU: {own.ru_utime + own.ru_stime:.1f} s over "
          f"{stats.elapsed:.1f} s")  # fmt: skip
    timeline = [{"t": round(t, 1), "rss_kb": {str(k): v for k, v in w.items()}}
                for t, w in stats.rss]  # fmt: skip
    (ROOT / "var/bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "var/bench/soak.json").write_text(json.dumps(timeline, indent=1))
