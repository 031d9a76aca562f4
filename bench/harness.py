"""Shared benchmark plumbing: a migrated database and timed requests through Django."""

import time

from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext


def migrated_database() -> None:
    call_command("migrate", verbosity=0, interactive=False)


def timed_get(client: Client, url: str) -> tuple[float, int, int]:
    """(server time in ms, response size in bytes, SQL queries) for one GET."""
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        content = b"".join(response) if response.streaming else response.content
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return elapsed, len(content), len(queries)
