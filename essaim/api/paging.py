"""Page-number pagination, one way for every list endpoint.

A list answers ``{"licence", "count", "page", "next", "previous", "results"}`` and links
the next page with ``Link: <…>; rel="next"`` (the contract's rule for every paginated
page). ``page_size`` is clamped to [1, max_size]; a page past the end is empty, not 404.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse


def page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def paginate(
    request: HttpRequest,
    response: HttpResponse,
    queryset,
    *,
    page: int,
    page_size: int,
    max_size: int,
    out: Callable[[Any], dict],
    licence: str,
) -> dict:
    """One page of ``queryset`` (already ordered), each item through ``out``."""
    size = min(max(page_size, 1), max_size)
    page = max(page, 1)
    count = queryset.count()
    items = list(queryset[(page - 1) * size : page * size]) if count else []
    next_url = page_url(request, page + 1) if page * size < count else None
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return {
        "licence": licence, "count": count, "page": page, "next": next_url,
        "previous": page_url(request, page - 1) if page > 1 else None,
        "results": [out(item) for item in items],
    }  # fmt: skip
