"""Backup figures: copying media out of the storage and reading them back for the restore
check, on local files and on an S3 stand-in (moto's server on 127.0.0.1: the S3 protocol
and django-storages' calls, not a real network's latency).

``python -m bench backup`` (needs the test extra, for moto).
"""

import logging
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings

from bench.results import Figure
from essaim.common import backups

FILES = 500
SIZE = 50 * 1024  # bytes: a normalised photo is 50 to 300 KiB


def run() -> list[Figure]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        return measure("local", local_storage()) + measure(
            "S3", s3_storage(f"http://{host}:{port}")
        )
    finally:
        server.stop()


def local_storage() -> dict:
    folder = tempfile.mkdtemp(prefix="essaim-bench-media-")
    return {"BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder}}  # fmt: skip


def s3_storage(endpoint: str) -> dict:
    import boto3

    bucket = f"essaim-bench-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k",
                 aws_secret_access_key="s").create_bucket(Bucket=bucket)  # fmt: skip
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": endpoint, "region_name": "us-east-1",
        "access_key": "k", "secret_key": "s", "querystring_auth": False, "file_overwrite": True,
    }}  # fmt: skip


def measure(label: str, storage: dict) -> list[Figure]:
    from django.conf import settings

    target = Path(tempfile.mkdtemp(prefix="essaim-bench-backup-")) / "media"
    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        for i in range(FILES):
            default_storage.save(f"initiatives/2026/12/{i:05}.jpg", ContentFile(b"x" * SIZE))
        start = time.perf_counter()
        backups._copy_media_out(target)
        copy_s = time.perf_counter() - start
        start = time.perf_counter()
        checked = backups.stored_files()
        check_s = time.perf_counter() - start
    shutil.rmtree(target.parent)
    if storage["BACKEND"].endswith("FileSystemStorage"):
        shutil.rmtree(storage["OPTIONS"]["location"])
    assert len(checked) == FILES
    return [
        Figure(f"backup: copy {FILES} media files of 50 KiB ({label})", copy_s, "s"),
        Figure(f"restore check: read back {FILES} files ({label})", check_s, "s"),
        Figure(
            f"backup: media throughput ({label})",
            FILES * SIZE / copy_s / 2**20,
            "MiB/s",
            higher_is_better=True,
        ),
    ]
