"""No lost write: 20 concurrent writers (proposals, votes, supports, registrations) for a
few seconds on a file SQLite database and on PostgreSQL, then the database is read back.

The writers run in a separate process (``python -m bench.concurrency``) with their own
connections: SQLite's in-memory test database is one shared connection, so the file
database is a copy of it (schema and territories), made with SQLite's backup API. On
PostgreSQL the process writes to the test database itself; the test is transactional,
so the tables are flushed afterwards. The 60-second run with figures is
``python -m bench concurrency``; this test asserts correctness only, never speed.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 3


def database_environment(tmp_path: Path) -> dict[str, str]:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = __import__("sqlite3").connect(tmp_path / "essaim.sqlite3")
        connection.connection.backup(target)
        target.close()
        return {"ESSAIM_DATA_DIR": str(tmp_path)}
    db = connection.settings_dict
    url = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
           f"{db['PORT'] or 5432}/{db['NAME']}")  # fmt: skip
    return {"DATABASE_URL": url, "ESSAIM_DATA_DIR": str(tmp_path)}


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_writers_lose_nothing_and_never_lock(tmp_path):
    env = {**os.environ, **database_environment(tmp_path),
           "DJANGO_SETTINGS_MODULE": "bench.settings", "ESSAIM_EMAIL_URL": "dummy://"}  # fmt: skip
    env.pop("DATABASE_URL", None) if connection.vendor == "sqlite" else None

    run = subprocess.run(
        [sys.executable, "-m", "bench.concurrency", "--seconds", str(SECONDS)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip

    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["engine"] == connection.vendor
    assert report["problems"] == []
    assert report["errors"] == {}, report["samples"]
    assert report["locked"] == 0
    # Every kind of write happened, concurrently, more than once per writer on average.
    assert set(report["done"]) == {
        "propose_initiative",
        "propose_event",
        "vote",
        "support",
        "register",
    }
    assert sum(report["done"].values()) >= 20
