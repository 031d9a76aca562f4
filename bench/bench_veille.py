"""News watch polling at scale: BENCH_VEILLE_SOURCES (default 1,000) feeds of 20 items,
served with ETags by a ThreadingHTTPServer on 127.0.0.1.

Round 1 fetches and stores everything (target ≤ 60 s); round 2 must be answered 304 for
≥ 90 % of sources; resident memory is read after each of three rounds (it must stay
flat). All sources share one host, so the 2-requests-per-host limit is the worst case.
Run on SQLite (default) or PostgreSQL (``DATABASE_URL=postgres://…``).
"""

import gc
import hashlib
import os
import threading
import time
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.results import Figure

SOURCES = int(os.environ.get("BENCH_VEILLE_SOURCES", "1000"))
ITEMS = 20


def make_feed(n: int) -> bytes:
    now = timezone.now()
    items = "".join(
        f"<item><title>Article {i} de la source {n} : coopération et territoires</title>"
        f"<link>https://site{n}.example.org/articles/{i}</link><guid>s{n}-{i}</guid>"
        f"<pubDate>{format_datetime(now - timezone.timedelta(hours=6 * i))}</pubDate>"
        f"<description>&lt;p&gt;Le texte numéro {i} publié par la source {n}, avec "
        f"&lt;a href='https://site{n}.example.org/'&gt;un lien&lt;/a&gt;.&lt;/p&gt;"
        f"</description></item>"
        for i in range(ITEMS)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Source {n}</title><link>https://site{n}.example.org/</link>"
            f"<description>Banc d'essai</description>{items}</channel></rss>").encode()  # fmt: skip


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        n = int(self.path.rsplit("/", 1)[-1].removesuffix(".xml"))
        body = self.server.feeds[n]
        etag = self.server.etags[n]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def clear_earlier_runs() -> None:
    # Raw deletes: a per-object delete updates the search index 20,000 times.
    from essaim.veille.models import Item, ItemMention, Pick, Source

    old = Source.objects.filter(url__startswith="http://127.0.0.1:")
    items = Item.objects.filter(source__in=old)
    Item.themes.through.objects.filter(item__in=items)._raw_delete(connection.alias)
    ItemMention.objects.filter(item__in=items)._raw_delete(connection.alias)
    Pick.objects.filter(item__in=items).delete()
    items._raw_delete(connection.alias)
    old.delete()


def time_indexing(item_ids: list[int]) -> float:
    """What the worker does after round 1 (the round itself defers search indexing)."""
    from essaim.veille.tasks import index_items

    start = time.perf_counter()
    for chunk in range(0, len(item_ids), 1000):
        index_items.call(item_ids=item_ids[chunk : chunk + 1000])
    return time.perf_counter() - start


def run() -> list[Figure]:
    from essaim.veille import polling
    from essaim.veille.models import Source

    call_command("migrate", verbosity=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.feeds = [make_feed(n) for n in range(SOURCES)]
    server.etags = ['"' + hashlib.sha1(f).hexdigest()[:16] + '"' for f in server.feeds]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/feeds/"
    clear_earlier_runs()
    Source.objects.bulk_create([Source(url=f"{base}{n}.xml") for n in range(SOURCES)])
    db, figures, memory = connection.vendor, [], []
    try:
        for round_number in (1, 2, 3):
            start = time.perf_counter()
            report = polling.poll(Source.objects.filter(url__startswith=base).order_by("pk"))
            seconds = time.perf_counter() - start
            gc.collect()
            memory.append(rss_mb())
            print(
                f"   round {round_number}: {seconds:.1f} s, {report.new_items} new items, "
                f"{report.not_modified} × 304, {report.failed} failed, RSS {memory[-1]:.0f} MB"
            )
            if round_number == 1:
                figures.append(Figure(f"veille: first round, {SOURCES:,} sources ({db})",
                                      seconds, "s", target=60))  # fmt: skip
                figures.append(Figure("veille: items stored in round 1", report.new_items,
                                      "items", target=SOURCES * ITEMS,
                                      higher_is_better=True))  # fmt: skip
                figures.append(Figure("veille: worker's search indexing of round 1",
                                      time_indexing(report.new_item_ids), "s"))  # fmt: skip
            if round_number == 2:
                share = 100 * report.not_modified / max(report.polled, 1)
                figures.append(Figure("veille: second round answered 304", share, "%",
                                      target=90, higher_is_better=True))  # fmt: skip
                figures.append(Figure("veille: second round duration", seconds, "s"))
    finally:
        server.shutdown()
        server.server_close()
    growth = memory[2] - memory[0]
    figures.append(Figure("veille: resident memory after round 1", memory[0], "MB"))
    figures.append(Figure("veille: memory growth, round 1 → 3", growth, "MB", target=20))
    return figures
