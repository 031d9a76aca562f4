"""Who may read the API, how often, from which origin.

Every request under /api/ goes through ``ApiAccessMiddleware``:

- **CORS**: the API and the open-data downloads are public reads, so any origin may fetch
  them (``Access-Control-Allow-Origin: *``, never with credentials); preflight requests are
  answered here.
- **Rate limits**: a fixed one-minute window per client, counted in the cache (Redis when
  scaled out, so that every app server shares the count). A client is its API key when it
  sends one (``X-Api-Key: …`` or ``Authorization: Bearer …``), else its address (hashed).
  Every answer carries ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset``
  (seconds) and ``RateLimit-Policy`` (IETF draft "RateLimit header fields"); over the limit,
  429 with ``Retry-After``.
- An unknown or revoked key is refused (401), rather than silently served as anonymous, so
  that a partner notices.
"""

import json
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from essaim.api.models import ApiKey
from essaim.moderation.antispam import address_hash

WINDOW = 60  # seconds
CORS_PATHS = ("/api/", "/donnees/")
EXPOSED = "ETag, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy"  # noqa: E501


class ApiAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(CORS_PATHS):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            return with_cors(preflight())
        if not path.startswith("/api/"):
            return with_cors(self.get_response(request))
        return with_cors(self.limited(request))

    def limited(self, request):
        key_text = presented_key(request)
        api_key = ApiKey.objects.for_key(key_text) if key_text else None
        if key_text and api_key is None:
            return json_error(401, "Clé d'API inconnue ou révoquée.",
                              {"WWW-Authenticate": 'Bearer realm="api"'})  # fmt: skip
        limit = api_key.rate_limit if api_key else settings.ESSAIM_API_RATE_LIMIT
        if not limit:  # 0: no limit (tests, private deployments)
            return self.get_response(request)
        client = f"key{api_key.pk}" if api_key else address_hash(request)
        used, reset = count_request(client)
        if api_key:
            note_use(api_key)
        headers = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(max(limit - used, 0)),
            "RateLimit-Reset": str(reset),
            "RateLimit-Policy": f"{limit};w={WINDOW}",
        }
        if used > limit:
            response = json_error(429, "Trop de requêtes : réessayez dans quelques secondes.",
                                  {"Retry-After": str(reset)})  # fmt: skip
        else:
            response = self.get_response(request)
        for name, value in headers.items():
            response[name] = value
        return response


def presented_key(request) -> str:
    key = request.headers.get("X-Api-Key", "")
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if not key and scheme.lower() == "bearer":
        key = token
    return key.strip()


def count_request(client: str) -> tuple[int, int]:
    """Count one request for ``client`` in the current window → (requests so far, seconds
    until the window resets)."""
    now = time.time()
    window = int(now // WINDOW)
    cache_key = f"api-rate:{client}:{window}"
    cache.add(cache_key, 0, timeout=WINDOW + 5)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr: count afresh
        cache.set(cache_key, 1, timeout=WINDOW + 5)
        used = 1
    return used, int((window + 1) * WINDOW - now) + 1


def note_use(api_key: ApiKey) -> None:
    """Record the day a key was last used (one write per key per day)."""
    today = timezone.localdate()
    if api_key.last_used_on != today:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_on=today)


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Authorization, X-Api-Key, If-None-Match"
    response["Access-Control-Max-Age"] = "86400"
    return response


def with_cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED
    return response


def json_error(status: int, detail: str, headers: dict) -> HttpResponse:
    body = json.dumps({"detail": detail}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json", headers=headers)
