import logging

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class ForwardedClientAddressMiddleware:
    """Behind a proxy, REMOTE_ADDR is the proxy's address: every visitor would share one
    rate-limit counter. The visitor's address is the one our last proxy appended to
    X-Forwarded-For (ESSAIM_PROXY_HOPS from the right); entries before it come from the
    client and can be forged, so they are never used."""

    def __init__(self, get_response):
        if not settings.ESSAIM_PROXY_HOPS:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.hops = settings.ESSAIM_PROXY_HOPS

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= self.hops:
            request.META["REMOTE_ADDR"] = forwarded[-self.hops]
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy, which Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class AdminContentSecurityPolicyMiddleware:
    """Relaxes the CSP on the back office only.

    Wagtail's admin still uses inline styles and scripts; the public site keeps the
    strict policy. Listed after csp.middleware.CSPMiddleware so that it marks the
    response before the CSP header is built.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.ESSAIM_ADMIN_PATH_PREFIXES):
            response._csp_update = {
                "script-src": ["'unsafe-inline'"],
                "style-src": ["'unsafe-inline'"],
                "img-src": ["blob:", "https:"],
                "frame-src": ["'self'"],
                "connect-src": ["'self'"],
            }
        return response


class NulCharacterMiddleware:
    """Refuse NUL characters in the address before any view sees them.

    PostgreSQL cannot store or compare text holding NUL (a filter on it raises instead of
    matching nothing), and no real address or parameter carries one. A path with NUL
    cannot exist: 404. A parameter with NUL: 400 naming it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        if "\x00" in request.path:
            if api:
                return JsonResponse({"detail": "Adresse inconnue."}, status=404)
            return HttpResponseNotFound("Adresse inconnue.", content_type="text/plain")
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                name = name.replace("\x00", "")
                message = f"Paramètre « {name} » invalide : caractère nul."
                if api:
                    return JsonResponse({"error": message, "parameter": name}, status=400)
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class BusyDatabaseMiddleware:
    """A writer that waited SQLite's whole busy timeout for the write lock (a burst of
    proposals on an overloaded site) gets "database is locked". That is the site saying
    "not now", not a bug: answer 503 with Retry-After and a page saying nothing was saved
    (the transaction never began, or rolled back), rather than a 500."""

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and "locked" in str(exception)):
            return None
        logger.warning("Database busy: %s %s answered 503", request.method, request.path)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
