from django.conf import settings


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
