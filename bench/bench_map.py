"""The map at scale: BENCH_SIZE (default 1,000,000) initiatives over France.

Generates them once (reused while the database holds enough), rebuilds the clusters, then
times ~200 random views of /api/v1/map/initiatives at zooms 5–16 (a third with a theme
filter) through Django's test Client, and the list beside the map for the same views in
each order (``tri``: nom, recent, distance). Run on PostgreSQL with DATABASE_URL=postgres://….
"""

import os
import random
import time

from django.core.management import call_command
from django.db import connection
from django.test import Client

from bench.generate import bench_size, communes, generate
from bench.results import Figure, percentile
from essaim.common.geo import divisor, from_ref_pixel, to_ref_pixel

VIEWS = 200
WIDTH, HEIGHT = 1280, 800


def prepare(size: int) -> list[Figure]:
    from essaim.initiatives import clustering
    from essaim.initiatives.models import Initiative
    from essaim.territories.loading import load_territories
    from essaim.territories.models import Region

    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        load_territories()
    figures = []
    if Initiative.objects.count() < size:
        seconds = generate(size - Initiative.objects.count())
        figures.append(Figure(f"generate {size:,} initiatives ({db()})", seconds, "s"))
    elif os.environ.get("BENCH_REUSE_CLUSTERS"):  # measure views again without rebuilding
        return figures
    start = time.perf_counter()
    clustering.rebuild()
    figures.append(Figure(f"rebuild-map, {size:,} initiatives ({db()})",
                          time.perf_counter() - start, "s"))  # fmt: skip
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load: without
        cursor.execute("ANALYZE")  # statistics, the list's look-ups by id scan the table
    if db() == "sqlite":  # what a running server's automatic checkpoints do over time
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return figures


def db() -> str:
    return connection.vendor


def random_view(rng, places, themes) -> str:
    _, _, lat, lon, _ = rng.choice(places)
    zoom = rng.randint(5, 16)
    x, y = to_ref_pixel(lon, lat)
    half_w, half_h = divisor(zoom, WIDTH // 2), divisor(zoom, HEIGHT // 2)
    west, north = from_ref_pixel(max(0, x - half_w), max(0, y - half_h))
    east, south = from_ref_pixel(x + half_w, y + half_h)
    query = f"bbox={west:.5f},{south:.5f},{east:.5f},{north:.5f}&zoom={zoom}"
    if rng.random() < 1 / 3:
        query += f"&theme={rng.choice(themes)}"
    return f"/api/v1/map/initiatives?{query}"


def wait_for_server(port: int, seconds: int = 90) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/carte/", timeout=30)  # noqa: S310 (local server)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the benchmark server did not start")


def page_load_ms(port: int = 8765, repeat: int = 5) -> list[float]:
    """Chromium: from navigation to the first cluster marker on /carte/ (tiles answered
    locally with an empty image: the tile server's speed is not ours to measure)."""
    import subprocess
    import sys

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.browser.test_map import TILE

    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload",
         "--nostatic"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_server(port)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            samples = []
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.route("https://tile.openstreetmap.org/**", lambda route: route.fulfill(
                    status=200, body=TILE, content_type="image/png"))  # fmt: skip
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/carte/", wait_until="commit")
                page.locator(".map-cluster").first.wait_for()
                samples.append((time.perf_counter() - start) * 1000)
                page.close()
            browser.close()
        return samples
    finally:
        server.terminate()
        server.wait()


def list_figures(client, urls: list[str], label: str) -> list[Figure]:
    """p50/p95 of the list beside the map, per order, over the same views."""
    figures = []
    for order in ("nom", "recent", "distance"):
        times = []
        for url in urls:
            list_url = url.replace("/initiatives?", "/initiatives/list?") + f"&tri={order}"
            start = time.perf_counter()
            response = client.get(list_url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (list_url, response.content[:200])
        figures += [
            Figure(f"map list tri={order} p50 ({label})", percentile(times, 50), "ms", 30),
            Figure(f"map list tri={order} p95 ({label})", percentile(times, 95), "ms", 100),
        ]
    return figures


def run() -> list[Figure]:
    from essaim.taxonomy.models import Theme

    size = bench_size()
    figures = prepare(size)
    rng = random.Random(3)
    places = communes()
    themes = list(Theme.objects.filter(parent=None).values_list("slug", flat=True))
    client = Client()
    urls = [random_view(rng, places, themes) for _ in range(VIEWS)]
    for url in urls[:10]:  # warm the caches the way a running server has them
        client.get(url)
    times, sizes = [], []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.content[:200])
        sizes.append(len(response.content) / 1000)
    label = f"{size:,} initiatives, {db()}"
    figures += list_figures(client, urls, label)
    if os.environ.get("BENCH_BROWSER"):
        loads = page_load_ms()
        figures.append(Figure(f"/carte/ to first clusters in Chromium, median ({label})",
                              sorted(loads)[len(loads) // 2], "ms", 1000))  # fmt: skip
    return figures + [
        Figure(f"map view p50 ({label})", percentile(times, 50), "ms", 30),
        Figure(f"map view p95 ({label})", percentile(times, 95), "ms", 30),
        Figure(f"map view max size ({label})", max(sizes), "KB", 100),
    ]
