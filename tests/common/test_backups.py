"""Backup then restore into a fresh instance reproduces every row and media file.

The instances are real ones driven through the `essaim` command (their own data
directories; on the PostgreSQL run, their own databases), like an operator would.
"""

import json
import shutil

import pytest

from tests.common.conftest import bucket
from tests.common.instances import Instances, essaim

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


@pytest.fixture(scope="module", params=["local", "s3"])
def instances(request, tmp_path_factory):
    """An original instance, seeded and backed up once, and an empty one to restore into;
    media on local files, then in S3 buckets (each instance its own)."""
    s3 = request.getfixturevalue("moto_s3") if request.param == "s3" else None
    made = Instances(tmp_path_factory.mktemp("instances"), s3)
    original = made.new("original")
    essaim("migrate", "-v0", env=original)
    essaim("shell", "--no-imports", "-c", SEED, env=original)
    backup = made.root / "sauvegarde"
    essaim("backup", str(backup), env=original)
    yield original, made.new("restored"), backup
    made.drop()


def counts(env) -> str:
    return essaim("shell", "--no-imports", "-c", COUNT, env=env).stdout


def test_backup_then_restore_reproduces_rows_and_media(instances):
    original, restored, backup = instances

    result = essaim("restore", str(backup), env=restored)

    assert "Restauration vérifiée" in result.stdout
    assert counts(restored) == counts(original)
    assert counts(restored).startswith("5 5 b'not really a jpeg")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert len(manifest["media"]) == 5 and len(list((backup / "media").rglob("*.jpg"))) == 5
    if "ESSAIM_S3_BUCKET" in restored:  # every object is back in the new, empty bucket
        assert objects(restored) == objects(original)
        assert sorted(objects(restored)) == sorted(manifest["media"])


def test_local_media_move_to_s3_by_backup_then_restore(instances, moto_s3, tmp_path):
    original, _, backup = instances
    if "ESSAIM_S3_BUCKET" in original:
        pytest.skip("starts from local media")
    made = Instances(tmp_path, moto_s3)
    on_s3 = made.new("on-s3")
    try:
        result = essaim("restore", str(backup), env=on_s3)
        assert "Restauration vérifiée" in result.stdout
        assert counts(on_s3) == counts(original)
    finally:
        made.drop()
    stored = {path.relative_to(backup / "media").as_posix(): path.read_bytes()
              for path in (backup / "media").rglob("*.jpg")}  # fmt: skip
    assert objects(on_s3) == stored


def objects(env) -> dict[str, bytes]:
    return {o.key: o.get()["Body"].read() for o in bucket(env).objects.all()}


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
