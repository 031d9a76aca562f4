"""Occurrences: expanded in the event's zone, kept in sync with the event and its changes."""

from datetime import timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar

from essaim.agenda import recurrence
from essaim.agenda.models import Event, EventChange, EventStatus, Occurrence
from essaim.moderation.models import Status
from tests.agenda.conftest import PARIS, make_event, paris

pytestmark = pytest.mark.django_db

# "Now" for these tests: the window is [NOW - horizon, NOW + horizon].
NOW = paris(2027, 1, 10, 12, 0)


def local_starts(event):
    return [o.start.astimezone(PARIS).strftime("%Y-%m-%d %H:%M %z") for o in
            event.occurrences.order_by("start")]  # fmt: skip


def weekly(**fields):
    event = make_event(rrule="FREQ=WEEKLY;COUNT=4", **fields)
    recurrence.sync_occurrences(event, now=NOW)
    return event


def test_weekly_series_keeps_paris_time_across_spring_dst():
    # 2027-03-28 is the last Sunday of March: +01:00 before, +02:00 after.
    event = weekly(start=paris(2027, 3, 16, 18, 0))
    assert local_starts(event) == [
        "2027-03-16 18:00 +0100", "2027-03-23 18:00 +0100",
        "2027-03-30 18:00 +0200", "2027-04-06 18:00 +0200",
    ]  # fmt: skip


def test_weekly_series_keeps_paris_time_across_autumn_dst():
    event = make_event(start=paris(2026, 10, 20, 9, 30), rrule="FREQ=WEEKLY;COUNT=3")
    recurrence.sync_occurrences(event, now=NOW)
    assert local_starts(event) == [
        "2026-10-20 09:30 +0200", "2026-10-27 09:30 +0100", "2026-11-03 09:30 +0100",
    ]  # fmt: skip
    assert [o.end - o.start for o in event.occurrences.all()] == [timedelta(hours=2)] * 3


def test_exdate_removes_exactly_that_occurrence():
    event = weekly(start=paris(2027, 3, 16, 18, 0), exdates=["2027-03-30T18:00"])
    assert local_starts(event) == [
        "2027-03-16 18:00 +0100", "2027-03-23 18:00 +0100", "2027-04-06 18:00 +0200",
    ]  # fmt: skip


def test_changed_occurrence_moves_and_keeps_its_recurrence_id():
    event = weekly(start=paris(2027, 3, 16, 18, 0))
    change = EventChange.objects.create(
        event=event, recurrence_id=paris(2027, 3, 23, 18, 0),
        start=paris(2027, 3, 24, 19, 0), end=paris(2027, 3, 24, 21, 0), title="Spéciale freins",
    )  # fmt: skip
    moved = event.occurrences.get(change=change)
    assert moved.recurrence_id == paris(2027, 3, 23, 18, 0)
    assert (moved.start, moved.title) == (paris(2027, 3, 24, 19, 0), "Spéciale freins")
    assert event.occurrences.count() == 4


def test_cancelled_occurrence_stays_listed_as_cancelled():
    event = weekly(start=paris(2027, 3, 16, 18, 0))
    EventChange.objects.create(
        event=event, recurrence_id=paris(2027, 3, 30, 18, 0), start=paris(2027, 3, 30, 18, 0),
        end=paris(2027, 3, 30, 20, 0), event_status=EventStatus.CANCELLED,
    )  # fmt: skip
    statuses = list(event.occurrences.values_list("event_status", flat=True))
    assert statuses == ["scheduled", "scheduled", "cancelled", "scheduled"]


def test_deleting_a_change_restores_the_rule_date():
    event = weekly(start=paris(2027, 3, 16, 18, 0))
    change = EventChange.objects.create(
        event=event, recurrence_id=paris(2027, 3, 23, 18, 0),
        start=paris(2027, 3, 25, 18, 0), end=paris(2027, 3, 25, 20, 0),
    )  # fmt: skip
    change.delete()
    assert local_starts(event)[1] == "2027-03-23 18:00 +0100"


def test_monthly_nth_weekday_series():
    event = make_event(start=paris(2027, 1, 5, 14, 0), rrule="FREQ=MONTHLY;BYDAY=1TU;COUNT=4")
    recurrence.sync_occurrences(event, now=NOW)
    assert [s[:10] for s in local_starts(event)] == [
        "2027-01-05", "2027-02-02", "2027-03-02", "2027-04-06",
    ]  # fmt: skip


def test_all_day_multi_day_event_spans_local_midnights():
    event = make_event(start=paris(2027, 5, 14, 0, 0), end=paris(2027, 5, 17, 0, 0), all_day=True)
    (occurrence,) = event.occurrences.all()
    assert occurrence.local_start == paris(2027, 5, 14, 0, 0)
    assert occurrence.local_end == paris(2027, 5, 17, 0, 0)


def test_all_day_series_expands_by_date():
    event = make_event(
        start=paris(2027, 3, 27, 0, 0), end=paris(2027, 3, 28, 0, 0), all_day=True,
        rrule="FREQ=DAILY;COUNT=3", exdates=["2027-03-28"],
    )  # fmt: skip
    recurrence.sync_occurrences(event, now=NOW)
    assert local_starts(event) == ["2027-03-27 00:00 +0100", "2027-03-29 00:00 +0200"]


def test_moving_a_one_off_event_updates_its_single_row():
    event = make_event(start=paris(2027, 6, 1, 18, 0))
    row = event.occurrences.get()
    event.start, event.end = paris(2027, 6, 2, 18, 0), paris(2027, 6, 2, 20, 0)
    event.save()
    moved = list(event.occurrences.values_list("pk", "start"))
    assert moved == [(row.pk, paris(2027, 6, 2, 18, 0))]


def test_infinite_series_is_bounded_by_the_window():
    event = make_event(start=paris(2020, 1, 7, 18, 0), rrule="FREQ=WEEKLY")
    recurrence.sync_occurrences(event, now=NOW)
    first, last = recurrence.window(NOW)
    starts = list(event.occurrences.values_list("start", flat=True))
    assert first <= min(starts) and max(starts) <= last
    assert len(starts) in (114, 115)  # 800 days of Tuesdays


def test_extend_horizons_moves_the_window_forward():
    event = make_event(start=paris(2027, 1, 5, 18, 0), rrule="FREQ=WEEKLY")
    recurrence.sync_occurrences(event, now=NOW)
    before = event.occurrences.count()
    later = NOW + timedelta(days=30)
    assert recurrence.extend_horizons(now=later) == 1
    assert event.occurrences.count() in (before + 4, before + 5)
    assert recurrence.extend_horizons(now=later) == 0


def test_deleting_an_event_with_changes_deletes_its_occurrences():
    event = weekly(start=paris(2027, 3, 16, 18, 0))
    EventChange.objects.create(
        event=event,
        recurrence_id=paris(2027, 3, 23, 18, 0),
        start=paris(2027, 3, 23, 19, 0),
        end=paris(2027, 3, 23, 21, 0),
    )
    event.delete()
    assert Occurrence.objects.count() == 0


def test_public_occurrences_are_those_of_public_events():
    shown = make_event("Visible")
    make_event("En attente", status=Status.PENDING)
    make_event("Masqué", is_hidden=True)
    assert list(Occurrence.objects.public().values_list("event", flat=True)) == [shown.pk]


def test_expansion_equals_recurring_ical_events_on_the_components():
    # Whatever a calendar client does with our components, it finds our rows.
    event = weekly(start=paris(2027, 3, 16, 18, 0), exdates=["2027-03-23T18:00"])
    EventChange.objects.create(
        event=event,
        recurrence_id=paris(2027, 3, 30, 18, 0),
        start=paris(2027, 3, 31, 18, 0),
        end=paris(2027, 3, 31, 20, 0),
    )
    cal = Calendar.from_ical(recurrence.calendar_of(recurrence.components(event)).to_ical())
    theirs = [c["DTSTART"].dt for c in recurring_ical_events.of(cal).between(
        paris(2027, 1, 1, 0, 0), paris(2028, 1, 1, 0, 0))]  # fmt: skip
    assert sorted(theirs) == list(event.occurrences.values_list("start", flat=True))


def test_event_end_before_start_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(title="x", slug="x", summary="x", start=paris(2027, 1, 2, 10, 0),
                             end=paris(2027, 1, 1, 10, 0))  # fmt: skip


def test_moving_a_series_time_keeps_each_dates_row():
    # Registrations hang on rows: moving the whole series by half an hour keeps them.
    event = weekly(start=paris(2027, 3, 16, 18, 0))
    rows = list(event.occurrences.values_list("pk", flat=True))
    event.start, event.end = paris(2027, 3, 16, 18, 30), paris(2027, 3, 16, 20, 30)
    event.save()
    assert list(event.occurrences.values_list("pk", flat=True)) == rows
    assert local_starts(event)[2] == "2027-03-30 18:30 +0200"
