"""Media storage, switched by environment only: local files, or an S3-compatible bucket.

The S3 runs use a real S3 protocol server on 127.0.0.1 (moto's), through the same
django-storages backend production uses; the same tests run on local storage.
"""

import io
import tempfile
import urllib.error
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

import essaim.settings
from essaim.initiatives.models import ImportRun, Initiative
from essaim.taxonomy.models import Theme
from tests.common.test_images import upload
from tests.conftest import PASSWORD
from tests.initiatives.conftest import form_data
from tests.initiatives.data_fixtures import FILES

pytestmark = pytest.mark.django_db


@pytest.fixture
def themes(db):
    return {"amap": Theme.objects.create(name="AMAP", slug="amap")}


def propose_with_photo(client, themes) -> Initiative:
    data = form_data(
        name="Ressourcerie de Chinon", summary="Objets de seconde main.",
        themes=[themes["amap"].pk], address="2 rue Voltaire", postal_code="37500",
        commune_label="Chinon", proposer_email="lea@example.net", legal_form="association",
        image=upload(size=(2400, 1200), name="jardin.jpg"), image_alt="Des bacs de légumes",
    )  # fmt: skip
    client.post("/initiatives/proposer/", data)
    return Initiative.objects.get(name="Ressourcerie de Chinon")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our stand-in)
        return response.read()


def stored_bytes(kind, bucket, name: str, settings) -> bytes:
    """The file as the storage itself holds it (the bucket's object, or the file on disk)."""
    if kind == "s3":
        return bucket.Object(name).get()["Body"].read()
    return (settings.MEDIA_ROOT / name).read_bytes()


def test_image_uploaded_through_the_proposal_form_is_stored_and_served(
    client, themes, media, settings
):
    kind, bucket = media

    initiative = propose_with_photo(client, themes)

    name = initiative.image.name
    assert name.startswith("initiatives/") and name.endswith(".jpg")
    stored = stored_bytes(kind, bucket, name, settings)
    assert PillowImage.open(io.BytesIO(stored)).size == (1600, 800)
    if kind == "s3":
        endpoint = settings.STORAGES["default"]["OPTIONS"]["endpoint_url"]
        assert initiative.image.url == f"{endpoint}/{bucket.name}/{name}"
        assert fetch(initiative.image.url) == stored  # served anonymously, straight from S3
        assert not settings.MEDIA_ROOT.exists()
    else:
        assert initiative.image.url == f"/media/{name}"


def test_wagtail_image_rendition_is_made_from_the_stored_original(media, settings):
    kind, bucket = media
    picture = upload(size=(800, 600), name="atelier.png", fmt="PNG")
    image = Image.objects.create(title="Atelier", file=ImageFile(picture, name="atelier.png"))

    rendition = image.get_rendition("fill-120x90")

    assert (rendition.width, rendition.height) == (120, 90)
    stored = stored_bytes(kind, bucket, rendition.file.name, settings)
    assert PillowImage.open(io.BytesIO(stored)).size == (120, 90)
    assert rendition.file.name.startswith("images/") and default_storage.exists(image.file.name)
    if kind == "s3":
        assert fetch(rendition.url) == stored
        assert not settings.MEDIA_ROOT.exists()


def test_wagtail_document_is_served_through_the_site_from_the_storage(client, media, settings):
    kind, bucket = media
    document = Document.objects.create(
        title="Rapport", file=SimpleUploadedFile("rapport.txt", b"Bilan 2026 " * 100)
    )

    response = client.get(document.url)

    assert b"".join(response.streaming_content) == b"Bilan 2026 " * 100
    assert stored_bytes(kind, bucket, document.file.name, settings) == b"Bilan 2026 " * 100
    if kind == "s3":  # documents may sit in private collections: never public in the bucket
        with pytest.raises(urllib.error.HTTPError, match="403"):
            fetch(document.file.url)


@pytest.fixture
def watched_temp_dir(settings, monkeypatch, tmp_path):
    """The system temporary folder, moved where the test can see what stays there; uploads
    of any size spool there (as a big upload would)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    return folder


def test_with_s3_nothing_stays_on_the_app_server_disk(
    client, themes, moderator, s3_env, settings, monkeypatch, watched_temp_dir
):
    from tests.common.conftest import bucket, use_s3

    use_s3(settings, monkeypatch, s3_env)
    settings.MEDIA_ROOT = watched_temp_dir.parent / "media"
    propose_with_photo(client, themes)
    image = Image.objects.create(title="Atelier", file=ImageFile(upload(), name="atelier.jpg"))
    image.get_rendition("max-200x200")
    document = Document.objects.create(title="Bilan", file=SimpleUploadedFile("bilan.pdf", b"%PDF"))
    assert b"".join(client.get(document.url).streaming_content) == b"%PDF"
    client.login(email=moderator.email, password=PASSWORD)
    csv = SimpleUploadedFile("jardins.csv", FILES.joinpath("bom-utf8.csv").read_bytes())
    client.post("/admin/initiatives/imports/", {"file": csv, "source_name": "jardins"})

    assert ImportRun.objects.get().state == "done"  # the import read the file from S3
    prefixes = sorted({o.key.split("/")[0] for o in bucket(s3_env).objects.all()})
    assert prefixes == ["documents", "images", "imports", "initiatives", "original_images"]
    assert list(watched_temp_dir.iterdir()) == []
    assert not settings.MEDIA_ROOT.exists()


# --- configuration -------------------------------------------------------------------------


def s3_settings(monkeypatch, **env):
    for name in ("BUCKET", "ENDPOINT_URL", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY",
                 "CUSTOM_DOMAIN", "SIGNED_URLS"):  # fmt: skip
        monkeypatch.delenv(f"ESSAIM_S3_{name}", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(f"ESSAIM_S3_{name}", value)
    return essaim.settings.s3_media_storage()


def test_no_bucket_means_local_storage(monkeypatch):
    assert s3_settings(monkeypatch) is None


def test_bucket_with_custom_domain_serves_media_from_that_domain(monkeypatch):
    storage = s3_settings(monkeypatch, BUCKET="essaim-medias", CUSTOM_DOMAIN="medias.example.org")
    options = storage["OPTIONS"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["bucket_name"], options["custom_domain"]) == ("essaim-medias",
                                                                  "medias.example.org")  # fmt: skip
    assert options["file_overwrite"] is False and options["querystring_auth"] is False


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"BUCKET": "Essaim_Medias"}, "ESSAIM_S3_BUCKET='Essaim_Medias'"),
        ({"ENDPOINT_URL": "https://s3.example.org"}, "ESSAIM_S3_BUCKET is empty"),
        ({"BUCKET": "essaim", "ENDPOINT_URL": "s3.example.org"}, "ESSAIM_S3_ENDPOINT_URL="),
        ({"BUCKET": "essaim", "ENDPOINT_URL": "https://s3.example.org/essaim"},
         "ESSAIM_S3_ENDPOINT_URL="),
        ({"BUCKET": "essaim", "ACCESS_KEY_ID": "AKIA"}, "ESSAIM_S3_SECRET_ACCESS_KEY is empty"),
        ({"BUCKET": "essaim", "CUSTOM_DOMAIN": "https://cdn.example.org"},
         "ESSAIM_S3_CUSTOM_DOMAIN="),
        ({"BUCKET": "essaim", "SIGNED_URLS": "perhaps"}, "ESSAIM_S3_SIGNED_URLS='perhaps'"),
    ],
)  # fmt: skip
def test_bad_s3_setting_is_refused_naming_the_variable(monkeypatch, env, named):
    with pytest.raises(ImproperlyConfigured, match=named.replace("?", r"\?")):
        s3_settings(monkeypatch, **env)


@pytest.mark.parametrize(
    "env",
    [
        {"BUCKET": "essaim-medias", "ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
         "REGION": "fr-par"},
        {"BUCKET": "essaim-medias", "REGION": "eu-west-3"},
        {"BUCKET": "essaim-medias"},
        {"BUCKET": "essaim-medias", "CUSTOM_DOMAIN": "medias.example.org"},
        {"BUCKET": "essaim-medias", "ENDPOINT_URL": "http://127.0.0.1:9000/"},
    ],
)  # fmt: skip
def test_content_security_policy_lets_browsers_load_media_from_where_urls_point(monkeypatch, env):
    from storages.backends.s3 import S3Storage

    storage = s3_settings(monkeypatch, ACCESS_KEY_ID="k", SECRET_ACCESS_KEY="s", **env)

    url = S3Storage(**storage["OPTIONS"]).url("initiatives/2026/12/photo.jpg")
    origins = essaim.settings.media_origins(storage)
    assert any(url.startswith(f"{origin}/") for origin in origins), (url, origins)
