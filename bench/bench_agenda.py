"""The agenda at scale: BENCH_EVENTS (default 10,000) events over the region, 20 % series.

Generates them once (reused while the database holds enough), then times through Django's
test Client: /agenda.ics for a year (first request, which stores each event's VEVENT text,
then warm), its size, the /agenda/ first page (or, until the pages exist, the evaluation of
its first 20 occurrences), /api/v1/events for a month, /agenda.rss and the full download.
Run on PostgreSQL with DATABASE_URL=postgres://….
"""

import statistics
import time
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.generate_agenda import bench_events, generate
from bench.harness import timed_get
from bench.results import Figure, timed_ms

REPEAT = 7


def prepare(size: int) -> list[Figure]:
    from essaim.agenda.models import Event
    from essaim.territories.loading import load_territories
    from essaim.territories.models import Region

    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        load_territories()
    missing = size - Event.objects.filter(slug__startswith="bench-evenement-").count()
    if missing <= 0:
        analyze()
        return []
    inserted, expanded = generate(missing)
    analyze()
    series = Event.objects.recurring().count()
    return [
        Figure(f"generate {missing:,} events ({db()})", inserted, "s"),
        Figure(f"expand {series:,} series into occurrences ({db()})", expanded, "s"),
    ]


def analyze() -> None:
    """Plans come from statistics that a running server keeps (PostgreSQL's autovacuum, the
    worker's daily refresh_planner_statistics on SQLite); right after a bulk load they are
    missing (PostgreSQL then guessed one event and joined badly; SQLite sorted every date)."""
    from essaim.common.tasks import refresh_planner_statistics

    if db() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        refresh_planner_statistics.call()


def db() -> str:
    return connection.vendor


def median_get(client: Client, url: str) -> tuple[float, int, int]:
    runs = [timed_get(client, url) for _ in range(REPEAT)]
    return statistics.median(r[0] for r in runs), runs[0][1], runs[0][2]


def first_page(client: Client, label: str) -> Figure:
    try:
        url = reverse("agenda:list")
    except NoReverseMatch:
        from essaim.agenda import filters

        def evaluate():
            return [(o.title, o.event.commune, o.local_start)
                    for o in filters.occurrences(filters.parse({}))[:20]]  # fmt: skip

        evaluate()
        ms = statistics.median(timed_ms(evaluate, REPEAT))
        return Figure(f"/agenda/ first 20 occurrences, query only (no page yet) ({label})",
                      ms, "ms", 50)  # fmt: skip
    client.get(url)
    ms, _, queries = median_get(client, url)
    return Figure(f"/agenda/ first page, {queries} queries ({label})", ms, "ms", 50)


def run() -> list[Figure]:
    from essaim.agenda.models import Occurrence

    size = bench_events()
    figures = prepare(size)
    label = f"{size:,} events, {db()}"
    today = timezone.localdate()
    year = f"du={today}&au={today + timedelta(days=365)}"
    month = f"start={today}&end={today + timedelta(days=30)}"
    client = Client()
    cold, _, _ = timed_get(client, f"/agenda.ics?{year}&bench={time.time()}")
    ics_ms, ics_size, ics_queries = median_get(client, f"/agenda.ics?{year}")
    api_ms, _, api_queries = median_get(client, f"/api/v1/events?{month}")
    rss_ms, _, _ = median_get(client, "/agenda.rss")
    timed_get(client, "/donnees/evenements.ics")
    all_ms, all_size, _ = median_get(client, "/donnees/evenements.ics")
    occurrences = Occurrence.objects.public().count()
    return figures + [
        Figure(f"public occurrences materialised ({label})", occurrences, "rows"),
        Figure(f"/agenda.ics a year, first request, stores texts ({label})", cold, "ms"),
        Figure(f"/agenda.ics a year, median, {ics_queries} queries ({label})", ics_ms, "ms", 300),
        Figure(f"/agenda.ics a year, size ({label})", ics_size / 1e6, "MB"),
        first_page(client, label),
        Figure(
            f"/api/v1/events a month, page of 100, {api_queries} queries ({label})", api_ms, "ms"
        ),  # fmt: skip
        Figure(f"/agenda.rss 50 items ({label})", rss_ms, "ms"),
        Figure(f"/donnees/evenements.ics all public events ({label})", all_ms, "ms"),
        Figure(f"/donnees/evenements.ics size ({label})", all_size / 1e6, "MB"),
    ]
