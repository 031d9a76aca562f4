"""`essaim serve` answers on its port with the production stack (gunicorn + WhiteNoise)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> tuple[dict, bytes]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (127.0.0.1)
                return response.headers, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {**os.environ, "ESSAIM_DATA_DIR": str(tmp_path), "ESSAIM_DEBUG": "0",
           "ESSAIM_SECRET_KEY": "x" * 50, "ESSAIM_SSL_REDIRECT": "0",
           "ESSAIM_ALLOWED_HOSTS": "127.0.0.1", "ESSAIM_LOG_FORMAT": "json"}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "-m", "essaim", "migrate", "-v0"], env=env, check=True)  # noqa: S603
    process = subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "-m", "essaim", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output)


def test_serve_answers_health_and_static_files_with_long_caching(server):
    headers, content = wait_for(f"{server}/sante/")
    assert json.loads(content)["database"]["ok"] is True
    assert headers["X-Content-Type-Options"] == "nosniff"
    with urllib.request.urlopen(f"{server}/static/css/essaim.css") as response:  # noqa: S310
        assert response.status == 200
        assert "max-age" in response.headers["Cache-Control"]
