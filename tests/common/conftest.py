"""A local stand-in for S3 (moto's server on 127.0.0.1) and media storage switches.

The server runs once per session on a free port; each test gets its own bucket, so the
instances a test starts (subprocesses) and the test itself see the same objects.
"""

import logging
import uuid
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

import essaim.settings

POLICY = Path(__file__).resolve().parents[2] / "deploy" / "s3-bucket-policy.json"


@pytest.fixture(scope="session")
def moto_s3():
    """The endpoint URL of a running S3 stand-in (in memory, gone at the end)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_env(moto_s3) -> dict[str, str]:
    """ESSAIM_S3_* for a new, empty bucket on the stand-in, as an operator would set them."""
    return new_bucket(moto_s3)


def new_bucket(endpoint: str) -> dict[str, str]:
    env = {
        "ESSAIM_S3_BUCKET": f"essaim-{uuid.uuid4().hex[:12]}",
        "ESSAIM_S3_ENDPOINT_URL": endpoint,
        "ESSAIM_S3_REGION": "fr-par",
        "ESSAIM_S3_ACCESS_KEY_ID": "essaim-test",
        "ESSAIM_S3_SECRET_ACCESS_KEY": "essaim-test-secret",
    }
    created = bucket(env)
    created.create(CreateBucketConfiguration={"LocationConstraint": "fr-par"})
    # The policy docs/deploy.md tells operators to set: public images, private documents.
    created.Policy().put(Policy=POLICY.read_text().replace("BUCKET", created.name))
    return env


def bucket(env: dict[str, str]):
    """The bucket ``env`` names, seen straight through boto3 (not through Essaim)."""
    s3 = boto3.resource(
        "s3",
        endpoint_url=env["ESSAIM_S3_ENDPOINT_URL"],
        region_name=env["ESSAIM_S3_REGION"],
        aws_access_key_id=env["ESSAIM_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["ESSAIM_S3_SECRET_ACCESS_KEY"],
    )
    return s3.Bucket(env["ESSAIM_S3_BUCKET"])


def use_s3(settings, monkeypatch, env: dict[str, str]) -> None:
    """This process's media storage as the settings build it from ``env``."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": essaim.settings.s3_media_storage()}


@pytest.fixture(params=["local", "s3"])
def media(request, settings, monkeypatch, tmp_path):
    """Each storage an operator can choose: yields ("local", None) or ("s3", bucket).

    MEDIA_ROOT points to an empty folder either way, so a test can see what lands there.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    if request.param == "local":
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage"}}  # fmt: skip
        yield "local", None
        return
    env = request.getfixturevalue("s3_env")
    use_s3(settings, monkeypatch, env)
    yield "s3", bucket(env)
