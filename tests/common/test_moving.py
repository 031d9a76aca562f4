"""`essaim move-database`: a SQLite instance moves to PostgreSQL with every row."""

import os
import subprocess
import uuid

import pytest

from tests.common.instances import essaim, psql
from tests.common.test_backups import COUNT, SEED


@pytest.fixture
def target_url():
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the move starts from SQLite: the SQLite run covers it")
    db = f"essaim_move_{uuid.uuid4().hex[:8]}"
    try:
        psql(f"CREATE DATABASE {db}")
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    yield f"postgres://postgres@127.0.0.1:5432/{db}"
    psql(f"DROP DATABASE IF EXISTS {db}")


def test_sqlite_instance_moves_to_postgresql_with_every_row(tmp_path, target_url):
    sqlite = {**os.environ, "ESSAIM_DATA_DIR": str(tmp_path), "ESSAIM_DEBUG": "1"}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"):
        sqlite.pop(name, None)
    essaim("migrate", "-v0", env=sqlite)
    essaim("load-themes", env=sqlite)
    essaim("shell", "--no-imports", "-c", SEED, env=sqlite)

    result = essaim("move-database", target_url, env=sqlite)

    assert "lignes copiées et vérifiées" in result.stdout
    postgres = {**sqlite, "DATABASE_URL": target_url}
    before = essaim("shell", "--no-imports", "-c", COUNT, env=sqlite).stdout
    assert essaim("shell", "--no-imports", "-c", COUNT, env=postgres).stdout == before
    # The copy is a working instance: new rows get fresh ids, dates kept their zone.
    check = ("from essaim.taxonomy.models import Theme\n"
             "t = Theme.objects.create(name='Nouveau', slug='nouveau')\n"
             "print(t.pk > Theme.objects.exclude(pk=t.pk).latest('pk').pk)")  # fmt: skip
    assert essaim("shell", "--no-imports", "-c", check, env=postgres).stdout.strip() == "True"


def test_moving_into_a_database_that_is_not_empty_is_refused(tmp_path, target_url):
    env = {**os.environ, "ESSAIM_DATA_DIR": str(tmp_path), "ESSAIM_DEBUG": "1"}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    essaim("migrate", "-v0", env={**env, "DATABASE_URL": target_url})

    result = essaim("move-database", target_url, env=env, check=False)

    assert result.returncode == 2 and "n'est pas vide" in result.stderr
