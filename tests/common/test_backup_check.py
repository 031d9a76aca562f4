"""The restore check reads every stored file back: a changed, missing or extra file shows."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from essaim.common.backups import row_counts, stored_files, verify

pytestmark = pytest.mark.django_db


def test_restore_check_names_changed_and_missing_files(media):
    for name in ("initiatives/a.jpg", "agenda/b.jpg", "images/c.png"):
        default_storage.save(name, ContentFile(name.encode()))
    manifest = {"counts": row_counts(), "media": stored_files()}
    assert verify(manifest) == []

    default_storage.delete("agenda/b.jpg")
    default_storage.delete("images/c.png")
    default_storage.save("images/c.png", ContentFile(b"autre chose"))

    found = {d.what: (d.expected, d.found) for d in verify(manifest)}
    assert sorted(found) == ["fichier agenda/b.jpg", "fichier images/c.png", "nombre de fichiers"]
    assert found["nombre de fichiers"] == (3, 2)
    assert found["fichier images/c.png"][1]["size"] == len(b"autre chose")


def test_restore_check_counts_an_extra_file(media):
    default_storage.save("initiatives/a.jpg", ContentFile(b"a"))
    manifest = {"counts": row_counts(), "media": stored_files()}

    default_storage.save("initiatives/intrus.jpg", ContentFile(b"b"))

    assert [(d.what, d.expected, d.found) for d in verify(manifest)] == [
        ("nombre de fichiers", 1, 2)
    ]


def test_a_file_deleted_during_the_backup_is_left_out_not_fatal(media, tmp_path):
    from essaim.common.backups import _copy_media_out, media_files, stored_names

    for name in ("initiatives/a.jpg", "images/b.png"):
        default_storage.save(name, ContentFile(name.encode()))
    listed = stored_names()
    default_storage.delete("images/b.png")  # deleted by the site after the listing
    said = []

    _copy_media_out(tmp_path / "media", listed, log=said.append)

    assert list(media_files(tmp_path / "media")) == ["initiatives/a.jpg"]
    assert said == ["Fichier supprimé pendant la sauvegarde, ignoré : images/b.png"]
