import io
from datetime import timedelta

import pytest
from django.utils import timezone

from essaim.agenda.demo import load_demo, next_dst_change
from essaim.agenda.models import AttendanceMode, Event, EventStatus, Occurrence, Registration
from essaim.moderation.models import Report, Status
from essaim.taxonomy.models import Theme
from essaim.taxonomy.services import load_themes


@pytest.fixture
def demo(db):
    load_themes()
    load_demo(io.StringIO())
    load_demo(io.StringIO())  # twice: idempotent


def test_demo_has_sixty_coming_events_across_the_region_and_every_theme(demo):
    events = Event.objects.all()
    assert events.count() >= 60
    now = timezone.now()
    assert Occurrence.objects.public().coming(now).values("event").distinct().count() >= 60
    departements = set(events.exclude(commune=None).values_list("commune__departement", flat=True))
    assert departements == {"18", "28", "36", "37", "41", "45"}
    used = set(events.values_list("themes", flat=True))
    assert used >= set(Theme.objects.values_list("pk", flat=True))


def test_demo_is_idempotent(demo):
    count = Event.objects.count()
    load_demo(io.StringIO())
    assert Event.objects.count() == count
    assert Registration.objects.count() == 9
    assert Report.objects.count() == 1


def test_demo_series_keep_their_local_time_across_the_next_dst_change(demo):
    change = next_dst_change(timezone.localdate() + timedelta(days=1))
    series = Event.objects.recurring()
    assert series.filter(rrule__contains="WEEKLY").count() == 3
    assert series.filter(rrule__contains="MONTHLY").count() == 2
    for event in series:
        starts = [timezone.localtime(o.start, event.zone) for o in event.occurrences.all()]
        assert {(s.hour, s.minute) for s in starts} == {(timezone.localtime(event.start).hour, 0)}
        assert starts[0].date() < change <= starts[-1].date(), event.title
        assert len({s.utcoffset() for s in starts}) == 2, event.title


def test_demo_covers_each_kind_of_event(demo):
    events = Event.objects.all()
    assert events.filter(event_status=EventStatus.CANCELLED).count() == 1
    assert events.filter(event_status=EventStatus.POSTPONED).count() == 1
    assert events.filter(attendance_mode=AttendanceMode.ONLINE).count() == 1
    assert events.filter(attendance_mode=AttendanceMode.MIXED).count() == 1
    assert events.filter(all_day=True).count() == 2
    multi_day = [e for e in events.filter(all_day=True) if e.end - e.start > timedelta(days=1)]
    assert len(multi_day) == 1
    assert events.filter(status=Status.PENDING).count() == 3
    reported = Report.objects.get()
    assert Event.objects.get(pk=reported.object_id).title == "Vide-grenier solidaire"


def test_demo_trainings_have_registrations_on_their_first_date(demo):
    full = Event.objects.get(capacity=2)
    first = full.occurrences.order_by("start").first()
    states = list(first.registrations.values_list("state", flat=True))
    assert states == ["confirmed", "confirmed", "waiting"]
    assert Registration.objects.filter(state="confirmed").count() == 8
