"""/carte/ in Chromium with BENCH_SIZE (default 1,000,000) initiatives: time to clusters.

Uses the map benchmark's database (generated and clustered by ``bench.bench_map.prepare``
if it holds fewer initiatives), serves the site with ``essaim serve`` (gunicorn, no debug)
on 127.0.0.1, then opens /carte/ ``BENCH_LOADS`` times (default 7) in a fresh page of
Playwright's Chromium and measures from navigation start to the first cluster marker
(``.map-cluster``, the divIcon map.js draws) attached and visible. Nothing leaves the
machine: every request to another host (the tile server) is answered 204, empty.
Also reports the time to the map API's first answer as the page sees it (Resource Timing).
"""

import os
import time

from bench.bench_map import prepare
from bench.generate import bench_size
from bench.results import Figure, percentile
from bench.server import serving

PORT = 8766
LOADS = int(os.environ.get("BENCH_LOADS", "7"))
WARM = 2  # one per gunicorn worker


TIMELINE = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const r = performance.getEntriesByType('resource').map(e =>
    e.name.replace(location.origin, '').slice(0, 50) + ' ' + e.startTime.toFixed(0) + '-'
    + e.responseEnd.toFixed(0));
  return ['html ' + n.responseStart.toFixed(0) + '-' + n.responseEnd.toFixed(0)
          + ' dcl ' + n.domContentLoadedEventEnd.toFixed(0), ...r].join(' | ');
}"""


def block_outside(route) -> None:
    if route.request.url.startswith(f"http://127.0.0.1:{PORT}/"):
        route.continue_()
    else:
        route.fulfill(status=204, body=b"")


def page_loads(repeat: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    to_clusters, to_api = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeat + WARM):  # the first loads warm both workers: not counted
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.route("**/*", block_outside)
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{PORT}/carte/", wait_until="commit")
            page.locator(".map-cluster").first.wait_for(state="visible", timeout=30_000)
            elapsed = (time.perf_counter() - start) * 1000
            api = page.evaluate(
                "() => performance.getEntriesByType('resource')"
                ".filter(e => e.name.includes('/api/v1/map/initiatives?'))"
                ".map(e => e.responseEnd)[0] || null"
            )
            if os.environ.get("BENCH_VERBOSE"):
                print(page.evaluate(TIMELINE))
            to_clusters.append(elapsed)
            to_api.append(api or 0.0)
            context.close()
        browser.close()
    return to_clusters[WARM:], to_api[WARM:]


def run() -> list[Figure]:
    from django.db import connection

    size = bench_size()
    os.environ.setdefault("BENCH_REUSE_CLUSTERS", "1")  # clusters already built: keep them
    figures = prepare(size)
    label = f"{size:,} initiatives, {connection.vendor}"
    connection.close()  # the server has its own connections
    with serving(PORT):
        loads, api = page_loads(LOADS)
    print(f"   loads (ms): {', '.join(f'{v:.0f}' for v in loads)}; "
          f"map API answered at (ms): {', '.join(f'{v:.0f}' for v in api)}; "
          f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
    return figures + [
        Figure(f"/carte/ to first clusters, Chromium, p50 ({label})",
               percentile(loads, 50), "ms", 1000),
        Figure(f"/carte/ to first clusters, Chromium, p95 ({label})",
               percentile(loads, 95), "ms", 1000),
    ]  # fmt: skip
