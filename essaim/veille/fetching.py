"""Fetching a feed over HTTP, politely: conditional GET with the validators exactly as
received, timeout, body cap, redirects followed (permanent ones reported), 304,
``Retry-After``. Runs in worker threads: no database access here.

Every failure comes back as ``Fetched.error``, a sentence in French; nothing raises.
"""

import email.utils
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings

MAX_RETRY_AFTER = timedelta(days=2)  # FreshRSS #7920: honour Retry-After, up to 2 days
PERMANENT = {301, 308}
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
          "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")  # fmt: skip
HTTP_WORDS = {
    400: "requête refusée", 401: "accès protégé par un mot de passe", 403: "accès interdit",
    404: "adresse introuvable", 410: "flux supprimé définitivement", 429: "trop de requêtes",
    500: "erreur interne du serveur", 502: "passerelle en erreur", 503: "service indisponible",
    504: "passerelle hors délai",
}  # fmt: skip


@dataclass
class Fetched:
    url: str
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    # Where a chain of permanent redirects ended (only then is the new address kept).
    moved_to: str = ""
    redirects: list[tuple[int, str]] = field(default_factory=list)
    retry_after: datetime | None = None
    error: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _RecordingRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.redirect_log = req.redirect_log  # one list shared along the chain
            new.redirect_log.append((code, newurl))
        return new


_opener = urllib.request.build_opener(_RecordingRedirects())


def fetch(url: str, *, etag: str = "", last_modified: str = "", now: datetime | None = None,
          timeout: float | None = None, max_bytes: int | None = None) -> Fetched:  # fmt: skip
    """GET ``url`` conditionally; never raises."""
    timeout = timeout or settings.ESSAIM_VEILLE_TIMEOUT
    max_bytes = max_bytes or settings.ESSAIM_VEILLE_MAX_BYTES
    result = Fetched(url=url)
    if not url.lower().startswith(("http://", "https://")):
        result.error = "Adresse non prise en charge : seules http:// et https:// le sont."
        return result
    request = urllib.request.Request(url, headers=_headers(etag, last_modified))  # noqa: S310 (scheme checked above)
    request.redirect_log = result.redirects
    try:
        with _opener.open(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            result.status = response.status
            _read_headers(result, response.headers)
            result.body = _read_capped(response, max_bytes, time.monotonic() + timeout)
    except urllib.error.HTTPError as exc:
        _http_error(result, exc, now or datetime.now(UTC))
    except Exception as exc:  # noqa: BLE001 (any failure is recorded on the source, in words)
        result.error = network_words(exc, timeout)
    _note_moves(result)
    return result


def _headers(etag: str, last_modified: str) -> dict:
    headers = {"User-Agent": settings.ESSAIM_VEILLE_USER_AGENT, "Accept": ACCEPT,
               "Accept-Encoding": "gzip"}  # fmt: skip
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _read_headers(result: Fetched, headers) -> None:
    result.content_type = headers.get("Content-Type", "")
    result.etag = (headers.get("ETag") or "")[:500]
    result.last_modified = (headers.get("Last-Modified") or "")[:100]


def _read_capped(response, max_bytes: int, deadline: float) -> bytes:
    inflate = None
    if "gzip" in (response.headers.get("Content-Encoding") or "").lower():
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    chunks, size = [], 0
    while chunk := response.read(1 << 16):
        if inflate is not None:
            chunk = inflate.decompress(chunk, max_bytes + 1 - size)
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge(max_bytes)
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    return b"".join(chunks)


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"Réponse trop volumineuse : plus de {limit / 1024 / 1024:g} Mio.")


def _http_error(result: Fetched, exc: urllib.error.HTTPError, now: datetime) -> None:
    result.status = exc.code
    if exc.code == 304:
        _read_headers(result, exc.headers)
        return
    if 300 <= exc.code < 400:
        result.error = "Trop de redirections, ou une boucle de redirections."
        return
    words = HTTP_WORDS.get(exc.code, exc.reason or "erreur")
    result.error = f"Le serveur a répondu {exc.code} ({words})."
    if exc.code in (429, 503) and (until := retry_after(exc.headers.get("Retry-After"), now)):
        result.retry_after = until
        result.error += f" Il demande d'attendre jusqu'au {until:%d/%m/%Y %H:%M} UTC."


def retry_after(value: str | None, now: datetime) -> datetime | None:
    """The moment ``Retry-After`` (seconds or an HTTP date) points to, at most 2 days ahead."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        until = now + timedelta(seconds=int(value))
    else:
        try:
            until = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if until.tzinfo is None:
            until = until.replace(tzinfo=UTC)
    return min(until, now + MAX_RETRY_AFTER) if until > now else None


def network_words(exc: BaseException, timeout: float) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, BodyTooLarge):
        return str(reason)
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"Délai dépassé : le serveur n'a pas répondu en {timeout:g} s."
    if isinstance(reason, ConnectionRefusedError):
        return "Connexion refusée : aucun serveur n'écoute à cette adresse."
    if isinstance(reason, socket.gaierror):
        return "Nom de domaine introuvable."
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return f"Connexion sécurisée impossible (certificat ou TLS) : {reason}."
    if isinstance(reason, http.client.HTTPException | ConnectionError | zlib.error):
        return f"Connexion interrompue ou réponse mal formée : {type(reason).__name__}."
    return f"Erreur inattendue : {reason}."


def _note_moves(result: Fetched) -> None:
    if result.redirects and all(code in PERMANENT for code, _ in result.redirects):
        result.moved_to = result.redirects[-1][1]
