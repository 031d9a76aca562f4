"""Open-data exports of BENCH_SIZE (default 1,000,000) initiatives: CSV and GeoJSON.

Uses the map benchmark's database (``bench.bench_map.prepare``), serves the site with
``essaim serve`` (gunicorn, one worker, no debug) on 127.0.0.1 and downloads
/donnees/initiatives.csv and .geojson over HTTP: time to the first byte of the body,
total time, size, and the worker's peak resident memory (VmHWM read from /proc after each
download; a fresh server per format so that each peak is its own).
Targets (#13): streamed, first byte ≤ 200 ms, memory ≤ 200 MB.
"""

import http.client
import os
import time

from bench.bench_map import prepare
from bench.generate import bench_size
from bench.results import Figure
from bench.server import children, peak_rss_mb, serving

PORT = 8767


def download(path: str) -> tuple[float, float, int, int]:
    """(ms to the first body byte, total seconds, bytes, lines) of one GET."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    assert response.status == 200, (path, response.status)
    first = response.read1(65536)
    ttfb = (time.perf_counter() - start) * 1000
    size, lines = len(first), first.count(b"\n")
    while chunk := response.read1(1 << 20):
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - start
    connection.close()
    return ttfb, total, size, lines


def run() -> list[Figure]:
    from django.db import connection

    size = bench_size()
    os.environ.setdefault("BENCH_REUSE_CLUSTERS", "1")
    figures = prepare(size)
    label = f"{size:,} initiatives, {connection.vendor}"
    connection.close()
    for fmt in ("csv", "geojson"):
        with serving(PORT, workers=1, ready="/robots.txt") as server:
            (worker,) = children(server.pid)
            before = peak_rss_mb(worker)
            ttfb, total, length, lines = download(f"/donnees/initiatives.{fmt}")
            peak = peak_rss_mb(worker)
        print(f"   {fmt}: {length / 1e6:.0f} MB, {lines:,} lines in {total:.1f} s; worker "
              f"VmHWM {before:.0f} MB before, {peak:.0f} MB after; "
              f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
        figures += [
            Figure(f"export {fmt}: first byte ({label})", ttfb, "ms", 200),
            Figure(f"export {fmt}: total ({label})", total, "s"),
            Figure(f"export {fmt}: worker peak RSS ({label})", peak, "MB", 200),
        ]
    return figures
