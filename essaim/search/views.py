from django.shortcuts import render

from essaim.search.registry import types_by_key
from essaim.search.services import search

MAX_QUERY_LENGTH = 200  # longer input is cut, never sent whole to the index


def results(request):
    """/recherche/?q=…&type=app_label.model&page=N; without q, the form alone."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    selected = types_by_key().get(request.GET.get("type", ""))
    context = {"query": query, "selected_type": selected}
    if query:
        types = [selected.key] if selected else None
        context["results"] = search(query, types=types, page=_page_number(request))
    return render(request, "search/results.html", context)


def _page_number(request) -> int:
    try:
        return int(request.GET.get("page", 1))
    except ValueError:
        return 1
