from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from essaim.common import exports as common_exports
from essaim.territories import exports
from essaim.territories.territory import best_match, suggest

MAX_QUERY = 100  # longer input is no territory name; keep look-ups cheap


@require_safe
def autocomplete(request):
    """JSON suggestions for ?q=: [{key, label, level, url}], at most 10."""
    query = request.GET.get("q", "")[:MAX_QUERY]
    results = [item.as_json() for item in suggest(query)]
    response = JsonResponse({"query": query, "results": results})
    response["Cache-Control"] = "public, max-age=3600"  # reference data changes yearly
    return response


@require_safe
def go(request):
    """Goes to the territory that ?q= names, or lists the candidates (works without JS)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    suggestions = suggest(query, limit=20)
    if best := best_match(suggestions):
        return redirect(best.url)
    return render(request, "territories/choices.html", {"query": query, "suggestions": suggestions})


@require_safe
def download_csv(request):
    return common_exports.download(
        exports.csv_lines(), content_type="text/csv; charset=utf-8", filename="territoires.csv"
    )
