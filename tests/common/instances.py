"""Real Essaim instances for backup tests, driven through the `essaim` command.

Each instance has its own data directory and, on the PostgreSQL run (DATABASE_URL set),
its own database; with ``s3`` it stores media in its own bucket on the S3 stand-in.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from tests.common.conftest import new_bucket


def essaim(*args, env, check=True, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "essaim", *args], env=env, check=check,  # noqa: S603
                          capture_output=True, text=True, timeout=timeout)  # fmt: skip


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],  # noqa: S607
                   check=True, capture_output=True)  # fmt: skip


class Instances:
    """Makes instances under ``root``; ``drop()`` removes the databases it created."""

    def __init__(self, root: Path, s3_endpoint: str | None = None):
        self.root, self.s3_endpoint, self.databases = root, s3_endpoint, []

    def new(self, name: str) -> dict:
        env = {**os.environ, "ESSAIM_DATA_DIR": str(self.root / name), "ESSAIM_DEBUG": "1"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.pop("REDIS_URL", None)
        if os.environ.get("DATABASE_URL"):
            db = f"essaim_backup_{uuid.uuid4().hex[:8]}"
            psql(f"CREATE DATABASE {db}")
            self.databases.append(db)
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db}"
        if self.s3_endpoint:
            env.update(new_bucket(self.s3_endpoint))
        return env

    def drop(self) -> None:
        for db in self.databases:
            psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
