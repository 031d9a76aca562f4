"""A real server process for benchmarks that go through HTTP: ``essaim serve`` (gunicorn,
as in production, docs/deploy.md) on 127.0.0.1, with the benchmark settings and database."""

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wait_for(url: str, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=30).read()  # noqa: S310 (local server)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the benchmark server did not answer {url}")


@contextmanager
def serving(port: int = 8765, *, workers: int = 2, ready: str = "/carte/"):
    """Yield the gunicorn master's process while ``essaim serve`` answers on ``port``."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings", PYTHONPATH=str(ROOT))
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--no-collectstatic"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}{ready}")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=60)


def children(pid: int) -> list[int]:
    """The gunicorn workers of master ``pid``."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a process, from /proc, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
