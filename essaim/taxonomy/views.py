import hashlib

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from essaim.taxonomy.models import Theme


def theme_stylesheet() -> str:
    rules = (
        f".{theme.css_class}{{--theme-bg:{theme.colour};--theme-fg:{theme.text_colour}}}"
        for theme in Theme.objects.public().order_by("slug")
    )
    return "\n".join(rules) + "\n"


@require_safe
def colours(request):
    """/themes/couleurs.css: one class per theme, so pages colour badges without inline styles."""
    css = theme_stylesheet()
    etag = '"' + hashlib.sha256(css.encode()).hexdigest()[:16] + '"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers={"ETag": etag})
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response
