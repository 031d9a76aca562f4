"""A small agenda for the feed and API tests: every kind of date the feeds must carry.

- a weekly series crossing the March 2027 DST change, with an EXDATE, a moved date and a
  cancelled date;
- an all-day event over three days; a one-off online event in another zone;
- a pending and a hidden event sharing the theme and organiser (must never show).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.db import connection
from django.test.utils import CaptureQueriesContext

from essaim.agenda import recurrence
from essaim.agenda.models import AttendanceMode, EventChange, EventStatus
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from tests.agenda.conftest import PARIS, make_event, paris

# The occurrences' window is around "now": materialise it around these tests' dates.
NOW = paris(2027, 3, 1, 12, 0)
WINDOW = "du=2027-03-01&au=2027-04-30"
WINDOW_API = "start=2027-03-01&end=2027-04-30"
MARTINIQUE = ZoneInfo("America/Martinique")
WINDOW_START, WINDOW_END = paris(2027, 3, 1, 0, 0), paris(2027, 5, 1, 0, 0)


def synced(event):
    recurrence.sync_occurrences(event, now=NOW)
    return event


@pytest.fixture(name="theme")
def theme_fixture():
    return Theme.objects.create(name="Réemploi", slug="reemploi")


@pytest.fixture(name="agenda")
def agenda_fixture(theme):
    series = make_event(
        "Atelier vélo", start=paris(2027, 3, 16, 18, 0), rrule="FREQ=WEEKLY;COUNT=6",
        exdates=["2027-03-23T18:00"], themes=[theme], organiser_name="Les Amis du Vélo",
        description="<p>On répare <strong>ensemble</strong>.</p><script>alert(1)</script>",
    )  # fmt: skip
    EventChange.objects.create(
        event=series, recurrence_id=paris(2027, 3, 30, 18, 0), start=paris(2027, 3, 31, 19, 0),
        end=paris(2027, 3, 31, 21, 0), title="Atelier vélo (mercredi)", note="Déplacé.",
    )  # fmt: skip
    EventChange.objects.create(
        event=series, recurrence_id=paris(2027, 4, 6, 18, 0), start=paris(2027, 4, 6, 18, 0),
        end=paris(2027, 4, 6, 20, 0), event_status=EventStatus.CANCELLED,
    )  # fmt: skip
    festival = make_event(
        "Festival des possibles", start=paris(2027, 4, 9, 0, 0), end=paris(2027, 4, 12, 0, 0),
        all_day=True, commune="45234", themes=[theme],
    )  # fmt: skip
    online = make_event(
        "Webinaire coopératives", start=datetime(2027, 3, 20, 10, 0, tzinfo=MARTINIQUE),
        end=datetime(2027, 3, 20, 11, 30, tzinfo=MARTINIQUE), timezone="America/Martinique",
        attendance_mode=AttendanceMode.ONLINE, online_url="https://visio.example/coop?a=1,2",
        commune=None,
    )  # fmt: skip
    secrets = [
        make_event("Secret en attente", start=paris(2027, 3, 18, 9, 0), status=Status.PENDING,
                   themes=[theme], organiser_name="Les Amis du Vélo"),
        make_event("Secret caché", start=paris(2027, 3, 19, 9, 0), is_hidden=True,
                   themes=[theme], organiser_name="Les Amis du Vélo"),
    ]  # fmt: skip
    for event in [series, festival, online, *secrets]:
        synced(event)
    return {"series": series, "festival": festival, "online": online, "secrets": secrets}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def parse_ics(response) -> icalendar.Calendar:
    assert response.status_code == 200, body(response)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(body(response))


def local(value, zone=PARIS) -> str:
    """An ISO 8601 text with offset; dates (all-day) become local midnight."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=zone)
    return value.isoformat()


def expanded(cal: icalendar.Calendar, start=WINDOW_START, end=WINDOW_END) -> set[tuple]:
    """(uid, recurrence id, start, end, status) of each occurrence a calendar client sees."""
    found = set()
    for vevent in recurring_ical_events.of(cal).between(start, end):
        begins = vevent["DTSTART"].dt
        rid = vevent["RECURRENCE-ID"].dt if "RECURRENCE-ID" in vevent else begins
        found.add((str(vevent["UID"]), local(rid), local(begins), local(vevent["DTEND"].dt),
                   str(vevent["STATUS"])))  # fmt: skip
    return found


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)
