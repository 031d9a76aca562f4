import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from essaim.initiatives.models import ImportRun, Initiative
from tests.conftest import PASSWORD
from tests.initiatives.data_fixtures import FILES

pytestmark = pytest.mark.django_db
URL = "/admin/initiatives/imports/"


def upload(client):
    content = FILES.joinpath("bom-utf8.csv").read_bytes()
    data = {"file": SimpleUploadedFile("jardins.csv", content), "source_name": "jardins"}
    return client.post(URL, data)


def test_moderator_imports_a_file_and_sees_the_counts(client, moderator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.login(email=moderator.email, password=PASSWORD)

    response = upload(client)

    run = ImportRun.objects.get()
    assert response["Location"] == f"{URL}{run.pk}/"
    assert (run.state, run.created, run.started_by) == ("done", 2, moderator)
    page = client.get(response["Location"]).content.decode()
    assert '<dd data-count="created">2</dd>' in page
    assert "<title>Import « jardins » - Wagtail</title>" in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing
    assert Initiative.objects.public().count() == 2


def test_import_form_page_has_a_title(client, moderator):
    client.login(email=moderator.email, password=PASSWORD)
    page = client.get(URL).content.decode()
    assert "<title>Importer des initiatives - Wagtail</title>" in page


def test_running_import_page_refreshes_itself(client, moderator):
    client.login(email=moderator.email, password=PASSWORD)
    from essaim.initiatives.models import ImportSource

    source = ImportSource.objects.create(name="s", kind="csv")
    run = ImportRun.objects.create(source=source, location="/x.csv", state="writing")
    assert 'http-equiv="refresh"' in client.get(f"{URL}{run.pk}/").content.decode()


def test_bad_file_shows_the_error_and_writes_nothing(client, moderator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.login(email=moderator.email, password=PASSWORD)
    bad = SimpleUploadedFile("bad.csv", b"nom,latitude\n,1\n")
    client.post(URL, {"file": bad, "source_name": "mauvaise"})

    run = ImportRun.objects.get()
    assert run.state == "failed"
    assert "ligne 2, champ « nom » : obligatoire" in run.message
    assert Initiative.objects.count() == 0


@pytest.mark.parametrize("persona", ["outsider", "member"])
def test_non_moderators_cannot_import(client, request, persona):
    user = request.getfixturevalue(persona)
    client.login(email=user.email, password=PASSWORD)
    response = upload(client)
    assert response.status_code in (302, 403)
    assert ImportRun.objects.count() == 0 and Initiative.objects.count() == 0


def test_uploaded_files_are_deleted_after_their_retention(client, moderator, settings, tmp_path):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from essaim.initiatives import imports

    settings.MEDIA_ROOT = tmp_path
    settings.ESSAIM_IMPORT_FILE_DAYS = 7
    client.login(email=moderator.email, password=PASSWORD)
    upload(client)
    run = ImportRun.objects.get()
    stored = run.location.removeprefix("storage:")
    assert default_storage.exists(stored)

    assert imports.purge_uploaded_files(now=timezone.now() + timedelta(days=6)) == 0
    assert imports.purge_uploaded_files(now=timezone.now() + timedelta(days=8)) == 1

    run.refresh_from_db()
    assert not default_storage.exists(stored)
    assert run.location == "fichier supprimé : jardins.csv"
    assert '<dd data-count="created">2</dd>' in client.get(f"{URL}{run.pk}/").content.decode()
    assert imports.purge_uploaded_files(now=timezone.now() + timedelta(days=9)) == 0
