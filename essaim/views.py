"""Site-wide pages: home, health, and the statutory pages every public site carries."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

HOME_INITIATIVES = 6
HOME_EVENTS = 5


def latest_initiatives():
    from django.db.models import Prefetch

    from essaim.initiatives.models import Initiative
    from essaim.taxonomy.models import Theme

    return (
        Initiative.objects.public()
        .select_related("commune__departement")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position")))
        .order_by("-published_at", "-pk")[:HOME_INITIATIVES]
    )


def next_events():
    """The next public dates, soonest first (a bounded join: events and communes)."""
    from essaim.agenda.models import Occurrence

    return (
        Occurrence.objects.public()
        .coming(timezone.now())
        .select_related("event__commune", "change")
        .order_by("start", "pk")[:HOME_EVENTS]
    )


@require_safe
def home(request):
    # The home page reads across modules (it is the composition root): each section is
    # a bounded query, so the page does not grow with the platform.
    context = {"latest_initiatives": latest_initiatives(), "next_events": next_events()}
    return render(request, "home.html", context)


@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.html")


@require_safe
def legal_notice(request):
    return render(request, "pages/legal_notice.html")


@require_safe
def privacy(request):
    # The retention periods in force, as configured: the page never states a stale figure.
    retention = {
        "registrations": settings.ESSAIM_REGISTRATION_RETENTION_DAYS,
        "address_hash": settings.ESSAIM_ADDRESS_HASH_DAYS,
        "contact_log": settings.ESSAIM_DIRECTORY_CONTACT_LOG_DAYS,
        "import_files": settings.ESSAIM_IMPORT_FILE_DAYS,
        "evaluation_group": settings.ESSAIM_EVALUATION_MIN_GROUP,
    }
    return render(request, "pages/privacy.html", {"retention": retention})


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /mon-compte/",
             "Disallow: /signaler/", f"Sitemap: {sitemap}"]  # fmt: skip
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def site_map(request):
    """The human site map (RGAA asks for one); /sitemap.xml is the robots' one."""
    return render(request, "pages/site_map.html")


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "down"; say which
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)}
    return {"ok": True, "vendor": connection.vendor}


def worker_status() -> dict:
    from essaim.common.worker import last_heartbeat

    beat = last_heartbeat()
    if beat is None:
        return {"ok": False, "last_seen": None}
    age = (timezone.now() - beat).total_seconds()
    return {"ok": age < 120, "last_seen": beat.isoformat(), "age_seconds": round(age)}


@never_cache
@require_safe
def health(request):
    database = database_status()
    worker = worker_status()
    ok = database["ok"]  # a stopped worker degrades the site, it does not take it down
    status = "ok" if ok and worker["ok"] else ("degraded" if ok else "down")
    return JsonResponse(
        {"status": status, "database": database, "worker": worker},
        status=200 if ok else 503,
    )
