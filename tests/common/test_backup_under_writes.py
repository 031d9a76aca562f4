"""A backup taken while the site keeps writing is a consistent snapshot.

A writer process keeps creating initiatives (each with its theme link and its image, in one
transaction) while `essaim backup` runs; the backup restores into an empty instance, the
restore check passes, and the snapshot holds whole initiatives only, as many as the
manifest says. Runs on SQLite (online backup API) and, with DATABASE_URL, PostgreSQL
(pg_dump on an exported snapshot).
"""

import json
import subprocess
import sys
import time

import pytest

from tests.common.instances import Instances, essaim

SEED = """
from essaim.taxonomy.models import Theme
Theme.objects.create(name="Réemploi", slug="reemploi")
"""
# Bounded: stops on the stop file, after 4,000 initiatives or after 120 seconds.
WRITER = """
import time
from pathlib import Path
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from essaim.initiatives.models import Initiative
from essaim.taxonomy.models import Theme
progress, stop = Path({progress!r}), Path({stop!r})
theme, started = Theme.objects.get(), time.monotonic()
for i in range(4000):
    if stop.exists() or time.monotonic() - started > 120:
        break
    with transaction.atomic():
        item = Initiative.objects.create(name=f"Ressourcerie {{i}}", slug=f"ressourcerie-{{i}}",
            summary="Objets", status="published", published_at=timezone.now(),
            latitude=47.39, longitude=0.69)
        item.themes.set([theme])
        item.image.save(f"photo-{{i}}.jpg", ContentFile(f"photo {{i}}".encode()))
    Path({progress!r} + ".new").write_text(str(i + 1))
    Path({progress!r} + ".new").replace(progress)  # a rename: never read half-written
"""
CHECK = """
import json
from django.db.models import Count
from essaim.initiatives.models import Initiative
items = Initiative.objects.annotate(links=Count("themes"))
print(json.dumps({
    "initiatives": items.count(),
    "whole": items.filter(links=1).exclude(image="").count(),
    "images_readable": sum(i.image.read() == f"photo {i.name.split()[-1]}".encode()
                           for i in items),
}))
"""


def written(progress) -> int:
    return int(progress.read_text()) if progress.exists() else 0


def wait_for(progress, at_least: int, writer) -> None:
    deadline = time.monotonic() + 120
    while written(progress) < at_least:
        assert writer.poll() is None, writer.stderr.read()
        assert time.monotonic() < deadline, "the writer did not start"
        time.sleep(0.1)


@pytest.fixture
def instances(tmp_path):
    made = Instances(tmp_path)
    yield made
    made.drop()


def test_backup_during_writes_restores_a_consistent_snapshot(instances, tmp_path):
    original = instances.new("original")
    essaim("migrate", "-v0", env=original)
    essaim("shell", "--no-imports", "-c", SEED, env=original)
    progress, stop = tmp_path / "progress", tmp_path / "stop"
    script = WRITER.format(progress=str(progress), stop=str(stop))
    writer = subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "-m", "essaim", "shell", "--no-imports", "-c", script],
        env=original, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for(progress, 50, writer)
        before = written(progress)
        essaim("backup", str(tmp_path / "sauvegarde"), env=original)
        after = written(progress)
        wait_for(progress, after + 20, writer)  # still writing once the backup is done
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0, writer.stderr.read()

    restored = instances.new("restored")
    result = essaim("restore", str(tmp_path / "sauvegarde"), env=restored, check=False)

    assert result.returncode == 0, result.stderr
    assert "Restauration vérifiée" in result.stdout
    manifest = json.loads((tmp_path / "sauvegarde" / "manifest.json").read_text())
    in_backup = manifest["counts"]["initiatives_initiative"]
    # Taken while the writer was writing (its progress file trails its commits by one).
    assert before <= in_backup <= after + 1
    snapshot = json.loads(essaim("shell", "--no-imports", "-c", CHECK, env=restored).stdout)
    assert snapshot == {"initiatives": in_backup, "whole": in_backup,
                        "images_readable": in_backup}  # fmt: skip
    assert manifest["counts"]["initiatives_initiative_themes"] == in_backup
