"""The agenda as an open-data table: every public event, past and coming (streamed CSV).

The iCalendar download (/donnees/evenements.ics) carries the dates of recurring events;
this table has one row per event with its rule (RRULE), for spreadsheets and data tools.
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from essaim.agenda.models import Event
from essaim.common import exports
from essaim.taxonomy.models import Theme

COLUMNS = (
    "uid", "titre", "resume", "description", "debut", "fin", "fuseau_horaire", "toute_la_journee",
    "recurrence", "statut", "mode", "lieu", "adresse", "code_postal", "code_insee", "commune",
    "latitude", "longitude", "lien_en_ligne", "organisateur", "themes", "public", "gratuit",
    "tarif", "accessible_fauteuil", "accessible_auditif", "accessible_visuel",
    "accessible_mental", "inscription", "lien_inscription", "licence", "url", "date_maj",
)  # fmt: skip


def public_events() -> Iterator[Event]:
    queryset = (
        Event.objects.public()
        .select_related("commune")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("pk", "slug")))
    )
    return exports.by_chunks(queryset)


def row(event: Event, base_url: str) -> dict:
    zone = event.zone
    return {
        "uid": event.uid, "titre": event.title, "resume": event.summary,
        "description": event.description, "debut": event.start.astimezone(zone).isoformat(),
        "fin": event.end.astimezone(zone).isoformat(), "fuseau_horaire": event.timezone,
        "toute_la_journee": event.all_day, "recurrence": event.rrule,
        "statut": event.event_status, "mode": event.attendance_mode, "lieu": event.place_name,
        "adresse": event.address, "code_postal": event.postal_code,
        "code_insee": event.commune_id or "",
        "commune": event.commune.name if event.commune_id else "",
        "latitude": event.latitude, "longitude": event.longitude,
        "lien_en_ligne": event.online_url, "organisateur": event.organiser_name,
        "themes": sorted(t.slug for t in event.themes.all()), "public": event.audience,
        "gratuit": event.is_free, "tarif": event.price,
        "accessible_fauteuil": event.accessibility_motor,
        "accessible_auditif": event.accessibility_hearing,
        "accessible_visuel": event.accessibility_visual,
        "accessible_mental": event.accessibility_mental,
        "inscription": event.registration_mode, "lien_inscription": event.registration_url,
        "licence": event.licence, "url": base_url + event.get_absolute_url(),
        "date_maj": event.updated_at.isoformat(),
    }  # fmt: skip


def csv_lines(base_url: str) -> Iterator[str]:
    return exports.csv_lines(COLUMNS, (row(event, base_url) for event in public_events()))
