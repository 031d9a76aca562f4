"""Two app servers (two `essaim serve`, each with its own data directory) behind nothing but
shared services — PostgreSQL, Redis, S3 — act as one site: a visitor signed in on one is
signed in on the other, and media uploaded through one are served for the other.

Needs PostgreSQL at 127.0.0.1 and REDIS_URL (the PostgreSQL + Redis run of .ci/run)."""

import http.client
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.common.conftest import new_bucket
from tests.common.instances import essaim, psql
from tests.common.test_serve import free_port, wait_for

SEED = """
import io
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from essaim.accounts.models import User
from essaim.initiatives.models import Initiative
alice = User.objects.create_user(email="alice@example.org", password="ruche-et-abeilles-2026")
EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
item = Initiative.objects.create(name="Ressourcerie", slug="ressourcerie", summary="Objets",
    status="published", published_at=timezone.now(), latitude=47.39, longitude=0.69,
    image_alt="Des étagères")
photo = io.BytesIO()
Image.new("RGB", (40, 30), "green").save(photo, "JPEG")
item.image.save("etageres.jpg", ContentFile(photo.getvalue()))
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, moto_s3):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (the PostgreSQL + Redis run)")
    db = f"essaim_cluster_{uuid.uuid4().hex[:8]}"
    try:
        psql(f"CREATE DATABASE {db}")
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    shared = {**os.environ, **new_bucket(moto_s3), "ESSAIM_DEBUG": "0",
              "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
              "ESSAIM_SECRET_KEY": "s" * 50, "ESSAIM_SSL_REDIRECT": "0",
              "ESSAIM_ALLOWED_HOSTS": "127.0.0.1"}  # fmt: skip
    shared.pop("DJANGO_SETTINGS_MODULE", None)
    essaim("migrate", "-v0", env=shared)
    essaim("shell", "--no-imports", "-c", SEED, env=shared)
    tmp_path = tmp_path_factory.mktemp("cluster")
    servers, processes = [], []
    for name in ("a", "b"):
        port = free_port()
        env = {**shared, "ESSAIM_DATA_DIR": str(tmp_path / name)}
        processes.append(subprocess.Popen(  # noqa: S603 (our own command)
            [sys.executable, "-m", "essaim", "serve", "--bind", f"127.0.0.1:{port}",
             "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))  # fmt: skip
        servers.append(port)
    try:
        for port in servers:
            wait_for(f"http://127.0.0.1:{port}/sante/", timeout=120)
        yield servers, tmp_path
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


def request(port: int, method: str, path: str, cookies: dict, body: str = ""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";")[0]
    return response.status, response.getheader("Location"), response.read().decode()


def sign_in(port: int) -> dict:
    cookies = {}
    _, _, page = request(port, "GET", "/comptes/login/", cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": "alice@example.org",
                                   "password": "ruche-et-abeilles-2026"})  # fmt: skip
    status, location, _ = request(port, "POST", "/comptes/login/", cookies, form)
    assert (status, location) == (302, "/")
    return cookies


def test_signed_in_on_one_app_server_is_signed_in_on_the_other(cluster):
    (a, b), _ = cluster

    cookies = sign_in(a)

    status, _, page = request(b, "GET", "/mon-compte/", {"sessionid": cookies["sessionid"]})
    assert status == 200 and "alice@example.org" in page
    status, location, _ = request(b, "GET", "/mon-compte/", {})
    assert status == 302 and location.startswith("/comptes/login/")


def test_media_saved_by_one_instance_is_served_to_every_app_server(cluster, moto_s3):
    (a, b), data_dirs = cluster
    pages = [request(port, "GET", "/initiatives/ressourcerie/", {})[2] for port in (a, b)]
    connection = http.client.HTTPConnection("127.0.0.1", a, timeout=30)
    connection.request("GET", "/initiatives/ressourcerie/")
    policy = connection.getresponse().getheader("Content-Security-Policy")
    img_src = re.search(r"img-src ([^;]+)", policy)[1].split()

    urls = [re.search(r'<img src="([^"]+)" alt="Des étagères"', page)[1] for page in pages]

    assert urls[0] == urls[1] and "/initiatives/" in urls[0] and urls[0].startswith("http://")
    with urllib.request.urlopen(urls[0], timeout=10) as response:  # noqa: S310 (the stand-in)
        assert response.read()[:2] == b"\xff\xd8"  # a JPEG, read from the bucket
    assert not any((data_dirs / name / "media").exists() for name in ("a", "b"))
    assert moto_s3 in img_src and urls[0].startswith(f"{moto_s3}/")  # the browser may load it
