"""schema.org Event JSON-LD of an event, embedded in its detail page.

One ``Event`` per listed occurrence (search engines show dates, not rules), each with
ISO 8601 times carrying their UTC offset (``2027-03-30T18:00:00+02:00``).
"""

import json
from datetime import timedelta

from django.utils.safestring import mark_safe

from essaim.agenda.models import AttendanceMode, Event, EventStatus

ONE_DAY = timedelta(days=1)
# "</script>" or "<!--" inside a string must not end the script element.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

SCHEMA = "https://schema.org/"
EVENT_STATUS = {
    EventStatus.SCHEDULED: "EventScheduled",
    EventStatus.RESCHEDULED: "EventRescheduled",
    EventStatus.POSTPONED: "EventPostponed",
    EventStatus.CANCELLED: "EventCancelled",
    EventStatus.FULL: "EventScheduled",
    EventStatus.MOVED_ONLINE: "EventMovedOnline",
}
ATTENDANCE = {
    AttendanceMode.OFFLINE: "OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "MixedEventAttendanceMode",
}


def script_json(data) -> str:
    """JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return mark_safe(text)  # noqa: S308 (every "<", ">" and "&" is escaped above)


def iso(moment, event: Event, *, all_day: bool) -> str:
    local = moment.astimezone(event.zone)
    return local.date().isoformat() if all_day else local.isoformat()


def event_documents(event: Event, occurrences, *, url: str, image_url: str = "") -> list[dict]:
    """One schema.org Event per occurrence (at least one, from the event's own times)."""
    dates = [(o.start, o.end, o.event_status, o.title) for o in occurrences] or [
        (event.start, event.end, event.event_status, event.title)
    ]
    shared = _shared(event, url=url, image_url=image_url)
    documents = []
    for start, end, status, title in dates:
        # All-day events end at midnight after their last day: schema.org wants that day.
        last = end - ONE_DAY if event.all_day else end
        documents.append({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": title,
            "startDate": iso(start, event, all_day=event.all_day),
            "endDate": iso(last, event, all_day=event.all_day),
            "eventStatus": SCHEMA + EVENT_STATUS.get(status, "EventScheduled"),
            **shared,
        })  # fmt: skip
    return documents


def _shared(event: Event, *, url: str, image_url: str) -> dict:
    data = {
        "description": event.summary,
        "url": url,
        "eventAttendanceMode": SCHEMA + ATTENDANCE[event.attendance_mode],
        "location": locations(event),
        "isAccessibleForFree": event.is_free,
        "inLanguage": "fr",
        "offers": offers(event, url=url),
    }
    if event.organiser_name:
        data["organizer"] = {"@type": "Organization", "name": event.organiser_name}
    if image_url:
        data["image"] = image_url
    if event.audience:
        data["audience"] = {"@type": "Audience", "audienceType": event.audience}
    return data


def locations(event: Event) -> list[dict]:
    found = []
    if event.has_place:
        place = {"@type": "Place", "name": event.place_name or _locality(event),
                 "address": postal_address(event)}  # fmt: skip
        if event.latitude is not None and event.longitude is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": event.latitude,
                            "longitude": event.longitude}  # fmt: skip
        found.append(place)
    if event.is_online and event.online_url:
        found.append({"@type": "VirtualLocation", "url": event.online_url})
    return found


def _locality(event: Event) -> str:
    return event.commune.name if event.commune_id else ""


def postal_address(event: Event) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    if event.address:
        address["streetAddress"] = event.address
    if event.postal_code:
        address["postalCode"] = event.postal_code
    if event.commune_id:
        address["addressLocality"] = event.commune.name
    return address


def offers(event: Event, *, url: str) -> dict:
    offer = {"@type": "Offer", "url": event.registration_url or url}
    if event.is_free:
        offer |= {"price": "0", "priceCurrency": "EUR"}
    elif event.price:
        offer["description"] = event.price
    if event.event_status == EventStatus.FULL:
        offer["availability"] = SCHEMA + "SoldOut"
    return offer
