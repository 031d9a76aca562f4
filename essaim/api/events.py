"""/api/v1/events: public occurrences between two dates, with the agenda's filters; one event
with its rule by slug.

The filters are ``essaim.agenda.filters`` (the ones of /agenda/ and /agenda.ics), with
``start``/``end`` for ``du``/``au``; times are ISO 8601 with the offset of the event's zone,
so that the list, the feeds and this API agree to the minute.
"""

from datetime import date, datetime

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from essaim.agenda import feeds, filters
from essaim.agenda.models import Event, EventChange
from essaim.api.errors import NotFound, ParameterError
from essaim.api.paging import paginate
from essaim.common.html import strip_html
from essaim.taxonomy.models import Theme

router = Router(tags=["agenda"])
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
LICENCE = "CC-BY-SA-4.0"
# API parameter -> agenda filter parameter (the others keep their name).
RENAMED = {"start": "du", "end": "au"}


class EventFilters(Schema):
    start: date | None = None
    end: date | None = None
    q: str = ""
    theme: str = ""
    territoire: str = ""
    pres: str = ""
    rayon: str = ""
    lat: str = ""
    lon: str = ""
    en_ligne: str = ""
    gratuit: str = ""
    accessible: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE


class PlaceOut(Schema):
    name: str
    address: str
    postal_code: str
    commune_code: str | None
    commune: str | None
    latitude: float | None
    longitude: float | None


class OccurrenceOut(Schema):
    uid: str
    recurrence_id: datetime
    title: str
    start: datetime
    end: datetime
    all_day: bool
    url: str
    place: PlaceOut | None
    online_url: str | None
    status: str
    themes: list[str]
    event: str  # the event's slug, for /api/v1/events/<slug>


class OccurrencePage(Schema):
    licence: str
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[OccurrenceOut]


class ChangeOut(Schema):
    recurrence_id: datetime
    start: datetime
    end: datetime
    title: str
    status: str
    note: str


class EventOut(Schema):
    uid: str
    slug: str
    title: str
    summary: str
    description: str
    url: str
    timezone: str
    all_day: bool
    start: datetime
    end: datetime
    rrule: str
    exdates: list[str]
    changes: list[ChangeOut]
    place: PlaceOut | None
    online_url: str | None
    status: str
    themes: list[str]
    organiser: str
    is_free: bool
    price: str
    licence: str
    sequence: int
    updated_at: datetime


def place_of(event: Event) -> dict | None:
    if not event.has_place:
        return None
    commune = event.commune
    return {
        "name": event.place_name, "address": event.address, "postal_code": event.postal_code,
        "commune_code": commune.code if commune else None,
        "commune": commune.name if commune else None,
        "latitude": event.latitude, "longitude": event.longitude,
    }  # fmt: skip


def occurrence_out(request: HttpRequest, o) -> dict:
    event, zone = o.event, o.event.zone
    return {
        "uid": event.uid, "recurrence_id": o.recurrence_id.astimezone(zone), "title": o.title,
        "start": o.start.astimezone(zone), "end": o.end.astimezone(zone),
        "all_day": event.all_day,
        "url": request.build_absolute_uri(feeds.event_path(event)), "place": place_of(event),
        "online_url": event.online_url if event.is_online else None,
        "status": o.event_status, "themes": [t.slug for t in event.themes.all()],
        "event": event.slug,
    }  # fmt: skip


def agenda_params(params: EventFilters) -> dict:
    values = params.dict(exclude={"page", "page_size"})
    return {RENAMED.get(k, k): (v.isoformat() if isinstance(v, date) else v or "")
            for k, v in values.items()}  # fmt: skip


def bad_request(errors: dict[str, str]) -> JsonResponse:
    back = {v: k for k, v in RENAMED.items()}
    named = {back.get(k, k): message for k, message in errors.items()}
    first = next(iter(named))
    return JsonResponse({"error": named[first], "parameter": first, "errors": named}, status=400)


@router.get("", response={200: OccurrencePage, 400: ParameterError}, url_name="event-list")
def list_occurrences(request: HttpRequest, response: HttpResponse, params: Query[EventFilters]):
    """Public occurrences overlapping [start 00:00, end + 1 day) in local time (default: from
    now to the horizon), soonest first; filters as /agenda/: q, theme, territoire, pres +
    rayon (km) or lat + lon, en_ligne, gratuit, accessible. A series gives one item per date,
    with its ``recurrence_id``; cancelled dates stay listed with ``status: cancelled``."""
    f = filters.parse(agenda_params(params))
    if f.errors:
        return bad_request(f.errors)
    found = filters.occurrences(f).prefetch_related(
        Prefetch("event__themes", queryset=Theme.objects.only("pk", "slug").order_by("slug"))
    )
    return paginate(request, response, found, page=params.page, page_size=params.page_size,
                    max_size=MAX_PAGE_SIZE, out=lambda o: occurrence_out(request, o),
                    licence=LICENCE)  # fmt: skip


@router.get("/{slug}", response={200: EventOut, 404: NotFound}, url_name="event-detail")
def event_detail(request: HttpRequest, slug: str):
    """One public event with its rule (RRULE, EXDATEs as local times, changed dates)."""
    events = Event.objects.public().select_related("commune").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("slug")),
        Prefetch("changes", queryset=EventChange.objects.order_by("recurrence_id")),
    )  # fmt: skip
    event = get_object_or_404(events, slug=slug)
    zone = event.zone
    return {
        "uid": event.uid, "slug": event.slug, "title": event.title, "summary": event.summary,
        "description": strip_html(event.description),
        "url": request.build_absolute_uri(feeds.event_path(event)),
        "timezone": event.timezone, "all_day": event.all_day,
        "start": event.start.astimezone(zone), "end": event.end.astimezone(zone),
        "rrule": event.rrule, "exdates": list(event.exdates),
        "changes": [change_out(c, event) for c in event.changes.all()],
        "place": place_of(event), "online_url": event.online_url if event.is_online else None,
        "status": event.event_status, "themes": [t.slug for t in event.themes.all()],
        "organiser": event.organiser_name, "is_free": event.is_free, "price": event.price,
        "licence": event.licence, "sequence": event.sequence, "updated_at": event.updated_at,
    }  # fmt: skip


def change_out(change: EventChange, event: Event) -> dict:
    zone = event.zone
    return {
        "recurrence_id": change.recurrence_id.astimezone(zone),
        "start": change.start.astimezone(zone), "end": change.end.astimezone(zone),
        "title": change.title or event.title,
        "status": change.event_status or event.event_status, "note": change.note,
    }  # fmt: skip
