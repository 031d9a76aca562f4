"""Agenda feeds: /agenda.ics and /agenda.rss (same filters as /agenda/), per theme, per
organiser, per event ("add to my calendar"), and the full download /donnees/evenements.ics.

iCalendar responses are streamed; their ETag comes from one aggregate query (latest change,
count, sequences of the matching events), so an unchanged feed answers 304 without being
built.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from essaim.agenda import exports as agenda_exports
from essaim.agenda import feeds, filters
from essaim.agenda.models import Event, Occurrence
from essaim.common import exports as common_exports
from essaim.taxonomy.models import Theme

CONTENT_TYPE = "text/calendar; charset=utf-8"
MAX_AGE = 900  # seconds: proxies and browsers may keep a feed this long
RSS_ITEMS = 50


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def bad_filters(f: filters.AgendaFilters) -> HttpResponse | None:
    if not f.errors:
        return None
    text = "\n".join(f"{name} : {message}" for name, message in f.errors.items())
    return HttpResponseBadRequest(text + "\n", content_type="text/plain; charset=utf-8")


def parse(request, **fixed) -> filters.AgendaFilters:
    params = request.GET.copy()
    for key, value in fixed.items():
        params[key] = value
    return filters.parse(params)


def ical_response(request, events, *, name: str, url: str, first_last=None, filename=""):
    """A streamed calendar of ``events``, or 304 when the client's copy is current."""
    selection = feeds.select(events)
    seen = selection.fingerprint
    tag = hashlib.sha256(repr((request.get_full_path(), base_url(request), seen)).encode())
    etag = f'"{tag.hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        first, last = first_last or (seen["first"], timezone.now() + horizon())
        # A series' DTSTART may precede the span: the VTIMEZONE must cover it too.
        first = min(d for d in (first, seen["first"]) if d) if seen["first"] else first
        response = StreamingHttpResponse(
            feeds.calendar_chunks(selection, name=name, url=url, base_url=base_url(request),
                                  first=first, last=last),
            content_type=CONTENT_TYPE,
        )  # fmt: skip
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    if seen["last_modified"]:
        response["Last-Modified"] = http_date(seen["last_modified"].timestamp())
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def horizon() -> timedelta:
    return timedelta(days=settings.ESSAIM_AGENDA_HORIZON_DAYS)


def filtered_ics(request, f: filters.AgendaFilters, events, name: str, page_url: str):
    return ical_response(request, events, name=name, url=base_url(request) + page_url,
                         first_last=filters.span(f))  # fmt: skip


def agenda_name(suffix: str = "") -> str:
    name = _("Agenda — %(site)s") % {"site": settings.ESSAIM_SITE_NAME}
    return f"{name} — {suffix}" if suffix else name


def list_path(query: str = "") -> str:
    return "/agenda/" + (f"?{query}" if query else "")


@require_safe
def agenda_ics(request):
    f = parse(request)
    if error := bad_filters(f):
        return error
    return filtered_ics(request, f, filters.events(f), agenda_name(),
                        list_path(request.GET.urlencode()))  # fmt: skip


@require_safe
def theme_ics(request, slug: str):
    theme = get_object_or_404(Theme, slug=slug)
    f = parse(request, theme=slug)
    if error := bad_filters(f):
        return error
    return filtered_ics(request, f, filters.events(f), agenda_name(theme.name),
                        list_path(f"theme={slug}"))  # fmt: skip


def organiser_names(slug: str) -> list[str]:
    """The organiser names that slugify to ``slug`` (free text until the directory exists)."""
    names = (Event.objects.public().exclude(organiser_name="").order_by()
             .values_list("organiser_name", flat=True).distinct())  # fmt: skip
    return [n for n in names if feeds.organiser_slug(n) == slug]


@require_safe
def organiser_ics(request, slug: str):
    names = organiser_names(slug)
    if not names:
        raise Http404(_("Organisateur inconnu."))
    f = parse(request)
    if error := bad_filters(f):
        return error
    events = filters.events(f).filter(organiser_name__in=names)
    return filtered_ics(request, f, events, agenda_name(names[0]), list_path())


@require_safe
def event_ics(request, slug: str):
    event = get_object_or_404(Event.objects.public(), slug=slug)
    last = max(event.end, timezone.now() + horizon())
    return ical_response(request, Event.objects.public().filter(pk=event.pk), name=event.title,
                         url=base_url(request) + feeds.event_path(event),
                         first_last=(event.start, last), filename=f"{event.slug}.ics")  # fmt: skip


@require_safe
def download_ics(request):
    """Every public event, past and coming: the open-data download."""
    events = Event.objects.public().order_by("start", "pk")
    return ical_response(request, events, name=agenda_name(), url=base_url(request) + list_path(),
                         filename="evenements.ics")  # fmt: skip


# --- RSS -------------------------------------------------------------------------------------


class OccurrenceFeed(Feed):
    """RSS 2.0: one item per coming date, soonest first, at most RSS_ITEMS (said in the
    channel description: a feed reader must not believe it got everything)."""

    def get_object(self, request, f: filters.AgendaFilters, title: str, page_url: str):
        self.request = request
        return {"filters": f, "title": title, "link": page_url}

    def title(self, obj):
        return obj["title"]

    def link(self, obj):
        return obj["link"]

    def description(self, obj):
        return _("Les %(count)s prochaines dates au plus, dans l'ordre chronologique.") % {
            "count": RSS_ITEMS
        }

    def items(self, obj):
        return list(filters.occurrences(obj["filters"])[:RSS_ITEMS])

    def item_title(self, item: Occurrence):
        local = item.local_start
        when = date_format(local, "l j F Y" if item.event.all_day else "l j F Y, H:i")
        prefix = _("[Annulé] ") if item.is_cancelled else ""
        return f"{prefix}{when} — {item.title}"

    def item_description(self, item: Occurrence):
        event = item.event
        return "\n".join(p for p in [event.summary, feeds.location(event)] if p)

    def item_link(self, item: Occurrence):
        return feeds.event_path(item.event)

    def item_guid(self, item: Occurrence):
        return f"{item.event.uid}/{item.recurrence_id.astimezone(item.event.zone).isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Occurrence):
        return item.event.published_at or item.event.created_at

    def item_updateddate(self, item: Occurrence):
        return item.event.updated_at


def rss_response(request, f, title: str, page_url: str):
    if error := bad_filters(f):
        return error
    response = OccurrenceFeed()(request, f=f, title=title, page_url=page_url)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@require_safe
def agenda_rss(request):
    return rss_response(request, parse(request), agenda_name(),
                        list_path(request.GET.urlencode()))  # fmt: skip


@require_safe
def theme_rss(request, slug: str):
    theme = get_object_or_404(Theme, slug=slug)
    return rss_response(request, parse(request, theme=slug), agenda_name(theme.name),
                        list_path(f"theme={slug}"))  # fmt: skip


def feed_links(query: str = "") -> dict:
    """The feed URLs for a filtered agenda view (for the pages' <link rel="alternate">)."""
    suffix = f"?{query}" if query else ""
    return {fmt: reverse(f"agenda_feeds:{fmt}") + suffix for fmt in ("ics", "rss")}


@require_safe
def download_csv(request):
    """Every public event as a table, streamed (one row per event, its rule as RRULE)."""
    return common_exports.download(
        agenda_exports.csv_lines(base_url(request)),
        content_type="text/csv; charset=utf-8",
        filename="evenements.csv",
    )
