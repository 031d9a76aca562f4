"""Tasks of the common app."""

from django.core.cache import cache
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
