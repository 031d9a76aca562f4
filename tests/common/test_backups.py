"""Backup then restore into a fresh instance reproduces every row and media file.

The instances are real ones driven through the `essaim` command (their own data
directories; on the PostgreSQL run, their own databases), like an operator would.
"""

import os
import shutil
import subprocess
import sys
import uuid

import pytest

SEED = """
from django.core.files.base import ContentFile
from django.utils import timezone
from essaim.accounts.models import User
from essaim.initiatives.models import Initiative
from essaim.taxonomy.models import Theme
User.objects.create_user(email="alice@example.org", password="x" * 12)
theme = Theme.objects.create(name="Réemploi", slug="reemploi")
for i in range(5):
    item = Initiative.objects.create(name=f"Ressourcerie {i}", slug=f"ressourcerie-{i}",
        summary="Objets", status="published", published_at=timezone.now(),
        latitude=47.39, longitude=0.69)
    item.themes.set([theme])
    item.image.save(f"photo-{i}.jpg", ContentFile(b"not really a jpeg " * i))
"""
COUNT = """
from essaim.initiatives.models import Initiative
print(Initiative.objects.count(), Initiative.themes.through.objects.count(),
      sorted(i.image.read() for i in Initiative.objects.all())[-1][:20])
"""


def essaim(*args, env, check=True):
    return subprocess.run([sys.executable, "-m", "essaim", *args], env=env, check=check,  # noqa: S603
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],  # noqa: S607
                   check=True, capture_output=True)  # fmt: skip


@pytest.fixture(scope="module")
def instances(tmp_path_factory):
    """An original instance, seeded and backed up once, and an empty one to restore into."""
    root = tmp_path_factory.mktemp("instances")
    databases = []

    def instance(name: str) -> dict:
        env = {**os.environ, "ESSAIM_DATA_DIR": str(root / name), "ESSAIM_DEBUG": "1"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.pop("REDIS_URL", None)
        if os.environ.get("DATABASE_URL"):
            db = f"essaim_backup_{uuid.uuid4().hex[:8]}"
            psql(f"CREATE DATABASE {db}")
            databases.append(db)
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db}"
        return env

    original = instance("original")
    essaim("migrate", "-v0", env=original)
    essaim("shell", "--no-imports", "-c", SEED, env=original)
    backup = root / "sauvegarde"
    essaim("backup", str(backup), env=original)
    yield original, instance("restored"), backup
    for db in databases:
        psql(f"DROP DATABASE IF EXISTS {db}")


def counts(env) -> str:
    return essaim("shell", "--no-imports", "-c", COUNT, env=env).stdout


def test_backup_then_restore_reproduces_rows_and_media(instances):
    original, restored, backup = instances

    result = essaim("restore", str(backup), env=restored)

    assert "Restauration vérifiée" in result.stdout
    assert counts(restored) == counts(original)
    assert counts(restored).startswith("5 5 b'not really a jpeg")
    assert len(list((backup / "media").rglob("*.jpg"))) == 5


def test_restore_refuses_a_database_that_is_not_empty(instances):
    original, _, backup = instances

    result = essaim("restore", str(backup), env=original, check=False)

    assert result.returncode == 2
    assert "n'est pas vide" in result.stderr


def test_a_tampered_backup_is_refused(instances, tmp_path):
    original, _, backup = instances
    tampered = tmp_path / "b"
    shutil.copytree(backup, tampered)
    database = next(p for p in tampered.iterdir() if p.name.startswith("database"))
    database.write_bytes(database.read_bytes()[:-10])

    result = essaim("restore", str(tampered), env=original, check=False)

    assert result.returncode == 2 and "somme de contrôle" in result.stderr
