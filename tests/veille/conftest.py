"""A feed server on 127.0.0.1 for the polling tests: real sockets, real HTTP.

``feed_server.url("/files/rss20.xml")`` serves tests/veille/files/ with an ETag and a
Last-Modified and answers 304 to matching conditional requests. Other routes:
``/redirect/<code>/<path>``, ``/status/<code>`` (+ ``?retry=<Retry-After>``), ``/slow``,
``/huge``, and whatever a test puts with ``feed_server.put(path, body, …)``.
Every request is logged (path and headers) in ``feed_server.requests``.
"""

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

FILES = Path(__file__).parent / "files"
TYPES = {
    ".xml": "application/rss+xml",
    ".rdf": "application/rdf+xml",
    ".json": "application/feed+json",
    ".html": "text/html; charset=utf-8",
    ".opml": "text/x-opml",
}
LAST_MODIFIED = "Tue, 08 Oct 2024 07:00:00 GMT"


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, dict]] = []
        self.routes: dict[str, tuple[int, bytes, dict]] = {}
        self.slow_seconds = 3.0
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def put(self, path: str, body: bytes, *, status: int = 200,
            content_type: str = "application/rss+xml", headers: dict | None = None):  # fmt: skip
        self.routes[path] = (status, body, {"Content-Type": content_type, **(headers or {})})

    def hits(self, path: str) -> list[dict]:
        return [headers for logged, headers in self.requests if logged == path]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        parts = urlsplit(self.path)
        self.server.requests.append((parts.path, dict(self.headers)))
        query = parse_qs(parts.query)
        if parts.path in self.server.routes:
            status, body, headers = self.server.routes[parts.path]
            return self.conditional(body, headers, status=status)
        if parts.path.startswith("/files/"):
            path = FILES / parts.path.removeprefix("/files/")
            if not path.is_file():
                return self.send(404, b"not found", {"Content-Type": "text/plain"})
            return self.conditional(
                path.read_bytes(), {"Content-Type": TYPES.get(path.suffix, "text/xml")}
            )
        if parts.path.startswith("/redirect/"):
            _, _, code, target = parts.path.split("/", 3)
            return self.send(int(code), b"", {"Location": "/" + target})
        if parts.path.startswith("/status/"):
            headers = {"Content-Type": "text/plain"}
            if "retry" in query:
                headers["Retry-After"] = query["retry"][0]
            return self.send(int(parts.path.split("/")[2]), b"busy", headers)
        if parts.path == "/slow":
            time.sleep(self.server.slow_seconds)
            return self.send(200, (FILES / "rss20.xml").read_bytes(), {"Content-Type": "text/xml"})
        if parts.path.startswith("/delay/"):
            return self.delayed()
        if parts.path == "/huge":
            return self.huge()
        return self.send(404, b"not found", {"Content-Type": "text/plain"})

    def conditional(self, body: bytes, headers: dict, *, status: int = 200):
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED, **headers}
        if status == 200 and self.headers.get("If-None-Match") == etag:
            return self.send(304, b"", {"ETag": etag})
        return self.send(status, body, headers)

    def delayed(self):
        server = self.server
        with server.lock:
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        time.sleep(0.15)
        with server.lock:
            server.in_flight -= 1
        name = self.path.rsplit("/", 1)[-1]
        body = (FILES / "rss20.xml").read_bytes().replace(b"fil-ess", name.encode())
        return self.send(200, body, {"Content-Type": "application/rss+xml"})

    def huge(self):
        chunk = b"<!-- " + b"x" * 65000 + b" -->\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"<rss version='2.0'><channel>")
        try:
            for _ in range(64):  # ~4 MiB, above the tests' 1 MiB cap
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def send(self, status: int, body: bytes, headers: dict):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture
def feed_server():
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def fast_polling(settings):
    settings.ESSAIM_VEILLE_TIMEOUT = 1
    settings.ESSAIM_VEILLE_MAX_BYTES = 1024 * 1024
    settings.ESSAIM_VEILLE_WORKERS = 4


@pytest.fixture
def curator(db, django_user_model):
    from essaim.accounts.roles import Role
    from tests.conftest import make_user

    return make_user(django_user_model, "fanny@example.org", Role.FACILITATOR,
                     display_name="Fanny")  # fmt: skip


@pytest.fixture
def themes(db):
    from essaim.taxonomy.models import Theme

    return {
        slug: Theme.objects.create(name=name, slug=slug)
        for slug, name in [
            ("monnaies-locales", "Monnaies locales"),
            ("tiers-lieux", "Tiers-lieux"),
            ("insertion", "Insertion"),
        ]
    }
