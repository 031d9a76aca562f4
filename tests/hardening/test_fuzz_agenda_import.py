"""Fuzzing ``essaim import-events`` (iCalendar).

Whatever the calendar, the command either imports it or stops with its own error (exit
status 2, naming the line or event) and leaves the database exactly as it was.
"""

import tempfile
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from essaim.agenda.models import CalendarSource, Event
from tests.agenda.test_imports import database_state, run_command
from tests.hardening.fuzz import ENCODINGS, bounded, encode, field_text, hostile_text, mutated

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent.parent / "agenda" / "files"
ERROR_WORDS = ("ligne", "événement", "VEVENT", "iCalendar", "UID")


def import_calendar(data: bytes) -> tuple[str | None, list[Event]]:
    before = database_state()
    with tempfile.NamedTemporaryFile(suffix=".ics") as stream:
        stream.write(data)
        stream.flush()
        try:
            run_command(stream.name, "--source", "fuzz")
        except CommandError as exc:
            assert exc.returncode == 2
            assert any(word in str(exc) for word in ERROR_WORDS), str(exc)
            assert database_state() == before, "a refused import wrote something"
            return str(exc), []
    return None, list(Event.objects.filter(source__name="fuzz"))


def forget_source() -> None:
    Event.objects.filter(source__name="fuzz").delete()
    CalendarSource.objects.filter(name="fuzz").delete()


@bounded(15)
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_are_imported_or_refused_cleanly(data):
    forget_source()
    import_calendar(data)


@pytest.mark.parametrize("name", sorted(p.name for p in FILES.glob("*.ics")))
@bounded(8)
@given(data=st.data())
def test_damaged_real_calendars_are_imported_or_refused_cleanly(name, data):
    forget_source()
    import_calendar(data.draw(mutated((FILES / name).read_bytes())))


moments = st.one_of(
    st.datetimes().map(lambda d: d.strftime("%Y%m%dT%H%M%S")),
    st.datetimes().map(lambda d: d.strftime("%Y%m%dT%H%M%SZ")),
    st.dates().map(lambda d: d.strftime("%Y%m%d")),
    st.sampled_from(["20250230T100000", "99999999T999999", "2025-03-30 02:30", "", "0"]),
    hostile_text,
)
value_prefixes = st.sampled_from(["", ";TZID=Europe/Paris", ";TZID=Nowhere/Else",
                                  ";VALUE=DATE", ';TZID="W. Europe Standard Time"'])  # fmt: skip
rrules = st.one_of(
    st.just(""),
    st.sampled_from(["FREQ=WEEKLY;COUNT=3", "FREQ=DAILY;UNTIL=20260101T000000Z",
                     "FREQ=MONTHLY;BYDAY=2TU", "FREQ=YEARLY;BYMONTH=13", "FREQ=SECONDLY",
                     "FREQ=WEEKLY;INTERVAL=0", "COUNT=-1", "FREQ=DAILY;UNTIL=20200101"]),
    hostile_text,
)  # fmt: skip


@st.composite
def vevents(draw, uids) -> str:
    lines = ["BEGIN:VEVENT"]
    if draw(st.booleans()):
        lines.append(f"UID:{draw(uids)}")
    lines.append(f"DTSTART{draw(value_prefixes)}:{draw(moments)}")
    if draw(st.booleans()):
        lines.append(f"DTEND{draw(value_prefixes)}:{draw(moments)}")
    if draw(st.booleans()):
        lines.append(f"RRULE:{draw(rrules)}")
    if draw(st.booleans()):
        lines.append(f"RECURRENCE-ID{draw(value_prefixes)}:{draw(moments)}")
    for name in draw(st.lists(st.sampled_from(["SUMMARY", "DESCRIPTION", "LOCATION", "GEO",
                                               "CATEGORIES", "URL", "STATUS", "SEQUENCE",
                                               "EXDATE", "DURATION", "X-ESSAIM-STATUS"]),
                              max_size=6)):  # fmt: skip
        text = draw(field_text).replace("\r", " ").replace("\n", "\\n")
        lines.append(f"{name}:{text}")
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


@st.composite
def calendars(draw) -> bytes:
    uids = st.sampled_from(["a@x", "a@x", "b@x", "", "é" * 300]) | hostile_text.map(str.strip)
    events = draw(st.lists(vevents(uids), max_size=5))
    zone = draw(st.sampled_from(["", "X-WR-TIMEZONE:Europe/Paris", "X-WR-TIMEZONE:Mars/Base"]))
    text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//", zone, *events,
                        "END:VCALENDAR", ""])  # fmt: skip
    return encode(text, draw(st.sampled_from(ENCODINGS)))


@bounded(40)
@given(calendars())
def test_hostile_calendar_is_imported_or_refused_naming_a_line_or_event(data):
    forget_source()
    error, imported = import_calendar(data)
    if error is None:
        assert all(e.uid and e.title is not None and e.start <= e.end for e in imported)


def test_two_events_with_one_uid_are_imported_once():
    event = "BEGIN:VEVENT\r\nUID:same@x\r\nSUMMARY:{}\r\nDTSTART:20300101T100000Z\r\nEND:VEVENT"
    text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", event.format("Un"), event.format("Deux"),
                        "END:VCALENDAR"])  # fmt: skip

    error, imported = import_calendar(text.encode())

    assert error is None
    assert [(e.uid, e.title) for e in imported] == [("same@x", "Deux")]


def test_nul_byte_in_a_summary_is_imported_without_it():
    text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:nul@x",
                        "SUMMARY:Ré\x00union", "DTSTART:20300101T100000Z", "END:VEVENT",
                        "END:VCALENDAR"])  # fmt: skip

    error, imported = import_calendar(text.encode())

    assert error is None
    assert [e.title for e in imported] == ["Réunion"]
