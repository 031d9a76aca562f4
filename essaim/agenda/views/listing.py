"""/agenda/: coming occurrences as a list (default), a month calendar (``?vue=calendrier``)
or a map (``?vue=carte``), all filtered by ``essaim.agenda.filters``; and the embeddable
variant (``/agenda/embed/``) other sites frame.

Every view is a bounded number of queries: one for the occurrences (events and communes
joined), one for the theme choices; never one per row.
"""

import calendar
import dataclasses
import itertools
from datetime import date, timedelta

from csp.decorators import csp_update
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from essaim.agenda import filters as agenda_filters
from essaim.agenda.filters import AgendaFilters
from essaim.taxonomy.models import Theme

PER_PAGE = 30
EMBED_SIZE = 20
MAP_LIMIT = 300  # occurrences whose places the map shows; the list has the rest
CALENDAR_LIMIT = 2000  # occurrences in one month grid: a busy month, never a runaway one
VIEWS = {"liste": "list", "calendrier": "calendar", "carte": "map"}
# Parameters that select a view or a page, not occurrences: kept out of filter links.
NOT_FILTERS = ("vue", "page", "mois")


def local_day(moment) -> date:
    return timezone.localtime(moment).date()


def filter_query(request, *drop: str) -> str:
    query = request.GET.copy()
    for name in (*NOT_FILTERS, *drop):
        query.pop(name, None)
    return query.urlencode()


def base_context(request, f: AgendaFilters, view: str) -> dict:
    return {
        "filters": f,
        "view": view,
        "params": request.GET,
        "themes": Theme.objects.tree_order().select_related("parent"),
        "radius_choices": agenda_filters.radius_choices(),
        "filter_query": filter_query(request),
        "embed_url": request.build_absolute_uri("/agenda/embed/"),
        "site_root": request.build_absolute_uri("/").rstrip("/"),
    }


@require_safe
def agenda(request):
    f = agenda_filters.parse(request.GET)
    view = VIEWS.get(request.GET.get("vue", ""), "list")
    context = base_context(request, f, view)
    if view == "calendar":
        context |= calendar_context(request, f)
    elif view == "map":
        context |= map_context(f)
    else:
        context |= list_context(f, request.GET.get("page"))
    # The page still renders, with each unreadable filter's message next to its field.
    status = 400 if f.errors else 200
    return render(request, f"agenda/{view}.html", context, status=status)


# --- list -----------------------------------------------------------------------------------


def page_number(text: str | None) -> int:
    try:
        return max(1, int(text or 1))
    except ValueError:
        return 1


def list_context(f: AgendaFilters, page: str | None) -> dict:
    """One page of occurrences grouped by local day; the next page is known by reading one
    row more (no COUNT over a large table)."""
    number = page_number(page)
    first = (number - 1) * PER_PAGE
    rows = list(agenda_filters.occurrences(f)[first : first + PER_PAGE + 1])
    shown = rows[:PER_PAGE]
    days = [(day, list(items)) for day, items in
            itertools.groupby(shown, key=lambda o: local_day(o.start))]  # fmt: skip
    return {
        "days": days,
        "page": {"number": number, "previous": number - 1 if number > 1 else None,
                 "next": number + 1 if len(rows) > PER_PAGE else None},
    }  # fmt: skip


# --- calendar -----------------------------------------------------------------------------


def month_of(text: str | None, f: AgendaFilters) -> date:
    """The month asked for (``mois=AAAA-MM``), else the start filter's, else this month."""
    if text:
        try:
            year, month = (int(part) for part in text.split("-", 1))
            return date(year, month, 1)
        except ValueError:
            message = _("Mois illisible : %(text)s (attendu : AAAA-MM).")
            f.errors["mois"] = message % {"text": text[:20]}
    return (f.start or timezone.localdate()).replace(day=1)


def calendar_context(request, f: AgendaFilters) -> dict:
    month = month_of(request.GET.get("mois"), f)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    # The grid shows the whole month, past days included: one query for all its cells.
    span = dataclasses.replace(f, start=first, end=last)
    occurrences = list(agenda_filters.occurrences(span)[:CALENDAR_LIMIT])
    by_day: dict[date, list] = {}
    for occurrence in occurrences:
        day, until = local_day(occurrence.start), local_day(occurrence.end - timedelta(seconds=1))
        while day <= min(until, last):
            by_day.setdefault(day, []).append(occurrence)
            day += timedelta(days=1)
    grid = [[(day, day.month == month.month, by_day.get(day, [])) for day in week]
            for week in weeks]  # fmt: skip
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return {"month": month, "weeks": grid, "today": timezone.localdate(),
            "previous_month": previous, "next_month": following,
            "month_query": filter_query(request, "du", "au"),
            "truncated": len(occurrences) == CALENDAR_LIMIT}  # fmt: skip


# --- map ------------------------------------------------------------------------------------


def map_context(f: AgendaFilters) -> dict:
    """The places of the first MAP_LIMIT coming occurrences, one marker per event."""
    occurrences = list(agenda_filters.occurrences(f)[:MAP_LIMIT])
    places, seen = [], set()
    for occurrence in occurrences:
        event = occurrence.event
        if event.pk in seen or event.latitude is None or not event.has_place:
            continue
        seen.add(event.pk)
        places.append({
            "title": event.title, "url": event.get_absolute_url(),
            "lat": event.latitude, "lon": event.longitude,
            "when": timezone.localtime(occurrence.start).strftime("%d/%m/%Y %H:%M"),
            "place": event.place_name or (event.commune.name if event.commune_id else ""),
        })  # fmt: skip
    return {"places": places, "map_limit": MAP_LIMIT, "occurrences": occurrences[:PER_PAGE],
            "truncated": len(occurrences) == MAP_LIMIT,
            "tile_url": settings.ESSAIM_TILE_URL}  # fmt: skip


# --- embed -----------------------------------------------------------------------------------


@require_safe
@xframe_options_exempt
@csp_update({"frame-ancestors": ["*"]})
def embed(request):
    """A chrome-less list for other sites' iframes: with the map embed, the only pages
    that may be framed."""
    f = agenda_filters.parse(request.GET)
    occurrences = list(agenda_filters.occurrences(f)[:EMBED_SIZE])
    context = {"occurrences": occurrences, "filters": f, "filter_query": filter_query(request),
               "site_root": request.build_absolute_uri("/").rstrip("/")}  # fmt: skip
    return render(request, "agenda/embed.html", context, status=400 if f.errors else 200)
