"""Reading a calendar: a local file, or an URL fetched politely (timeout, size cap, redirects,
User-Agent) and conditionally (ETag / Last-Modified) for subscriptions."""

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

FETCH_TIMEOUT = 30  # seconds
FETCH_MAX_BYTES = 50 * 1024 * 1024  # a 10,000-event calendar weighs about 8 MB
MAX_REDIRECTS = 5
USER_AGENT = "Essaim/0.1 (agenda; +https://essaim.example/agenda)"


class FetchError(Exception):
    """The calendar could not be read (missing file, network, HTTP error, too large)."""


@dataclass(frozen=True)
class Fetched:
    content: bytes = b""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False  # HTTP 304: the source has not changed since the last fetch


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    # urllib already refuses redirects to schemes other than http, https and ftp.
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise urllib.error.HTTPError(newurl, code, "redirection refusée", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_LimitedRedirects)


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://", "webcal://"))


def read_location(location: str) -> bytes:
    """The bytes of a calendar file or URL; FetchError names what went wrong."""
    if is_url(location):
        return fetch(location).content
    path = Path(location)
    if not path.is_file():
        raise FetchError(f"Fichier introuvable : {location}")
    if path.stat().st_size > FETCH_MAX_BYTES:
        raise FetchError(f"{location} : plus de {FETCH_MAX_BYTES // 1024 // 1024} Mo.")
    return path.read_bytes()


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET ``url`` (``webcal://`` read as ``https://``), conditional when validators are given."""
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked by is_url)
    try:
        with _opener.open(request, timeout=FETCH_TIMEOUT) as response:
            content = _read_capped(response)
            return Fetched(content, response.headers.get("ETag", ""),
                           response.headers.get("Last-Modified", ""))  # fmt: skip
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(etag=etag, last_modified=last_modified, not_modified=True)
        raise FetchError(
            f"Téléchargement impossible de {url} : HTTP {exc.code} {exc.reason}"
        ) from None
    except (OSError, ValueError) as exc:
        raise FetchError(f"Téléchargement impossible de {url} : {exc}") from None


def _read_capped(response) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        if size > FETCH_MAX_BYTES:
            raise ValueError(f"plus de {FETCH_MAX_BYTES // 1024 // 1024} Mo")
        chunks.append(chunk)
    return b"".join(chunks)
