"""Tasks of the common app."""

from django.core.cache import cache
from django.db import connection
from django_tasks import task


@task()
def probe(*, key: str) -> int:
    """Count this task's runs under ``key`` in the cache (24 h).

    Operators enqueue probes to check that workers run, and run each task exactly once
    (tests/common/test_worker_queue.py does it with two workers on Redis).
    """
    name = f"essaim:probe:{key}"
    cache.add(name, 0, timeout=24 * 3600)
    return cache.incr(name)


@task()
def refresh_planner_statistics() -> str:
    """Daily: refresh SQLite's query-planner statistics.

    SQLite has no autovacuum daemon: without statistics it drove the agenda's first page
    from the event-status index and sorted every coming date (53 ms at 10,000 events)
    instead of walking the dates' start index (7 ms). A full ANALYZE: with
    ``analysis_limit=1000`` the sampled statistics led back to the slow plan. PostgreSQL's
    autovacuum keeps its own statistics: nothing to do there.
    """
    if connection.vendor != "sqlite":
        return "skipped"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return "analyzed"
