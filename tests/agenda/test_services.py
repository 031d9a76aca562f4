from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError

from essaim.agenda import services
from essaim.agenda.models import Event, EventChange, EventStatus
from essaim.moderation.models import PendingVersion, Status
from essaim.moderation.services import accept_edit
from essaim.taxonomy.services import load_themes
from essaim.territories.models import Commune
from tests.agenda.conftest import make_event, paris

pytestmark = pytest.mark.django_db


def event_data(title="Repair café de Tours", **extra) -> dict:
    tours = Commune.objects.get(pk="37261")
    return {
        "title": title, "summary": "On répare ensemble.", "commune": tours,
        "latitude": tours.latitude, "longitude": tours.longitude,
        "start": paris(2027, 3, 20, 14, 0), "end": paris(2027, 3, 20, 17, 0), **extra,
    }  # fmt: skip


def test_anonymous_proposal_is_pending_and_mails_the_edit_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = services.propose_event(data=event_data(), author=None, email="lea@example.net")
    event.refresh_from_db()
    assert (event.status, event.submitter_email, event.slug) == (
        Status.PENDING, "lea@example.net", "repair-cafe-de-tours"
    )  # fmt: skip
    assert event.occurrences.count() == 1
    edit_mail = [m for m in mail.outbox if m.to == ["lea@example.net"]]
    assert len(edit_mail) == 1
    assert services.edit_url(event) in edit_mail[0].body


def test_signed_in_contributor_proposal_is_pending_and_owned(owner):
    event = services.propose_event(data=event_data(), author=owner)
    assert (event.status, event.owner, event.submitted_by) == (Status.PENDING, owner, owner)


def test_trusted_organiser_publishes_directly(moderator):
    load_themes()
    from essaim.taxonomy.models import Theme

    theme = Theme.objects.first()
    event = services.propose_event(data=event_data(themes=[theme]), author=moderator)
    event.refresh_from_db()
    assert event.status == Status.PUBLISHED and event.published_at is not None
    assert list(event.themes.all()) == [theme]
    assert Event.objects.public().get() == event


def test_member_is_not_trusted(member, outsider, moderator):
    assert (services.is_trusted(member), services.is_trusted(outsider)) == (False, False)
    assert services.is_trusted(moderator)


def test_same_title_gets_a_free_slug_and_reserved_words_are_avoided():
    first = services.propose_event(data=event_data(), email="a@example.net")
    second = services.propose_event(data=event_data(), email="b@example.net")
    reserved = services.propose_event(data=event_data(title="Proposer"), email="c@example.net")
    assert (first.slug, second.slug) == ("repair-cafe-de-tours", "repair-cafe-de-tours-2")
    assert reserved.slug == "proposer-2"


def test_slug_taken_between_check_and_insert_is_retried():
    make_event("Repair café de Tours", slug="repair-cafe-de-tours")
    event = Event(**event_data(), slug="repair-cafe-de-tours")  # as if another request won
    services.save_with_unique_slug(event)
    assert event.pk and event.slug.startswith("repair-cafe-de-tours-")
    assert Event.objects.count() == 2


def test_other_integrity_errors_are_not_hidden_by_the_slug_retry():
    bad = Event(**event_data(end=paris(2027, 3, 20, 10, 0)))  # ends before it starts
    with pytest.raises(IntegrityError):
        services.save_with_unique_slug(bad)


def test_edit_link_key_is_bound_to_the_event_and_its_secret():
    event, other = make_event("Un"), make_event("Deux")
    key = services.link_key(event)
    assert services.key_is_valid(event, key)
    assert not services.key_is_valid(other, key) and not services.key_is_valid(event, "")
    event.edit_secret = "rotated"
    assert not services.key_is_valid(event, key)


def test_owner_edit_of_published_event_waits_for_moderation(owner, moderator):
    event = make_event(owner=owner)
    outcome = services.edit_event(event=event, changes={"title": "Atelier vélo (nouveau)"},
                                  by=owner)  # fmt: skip
    assert outcome == "proposed"
    event.refresh_from_db()
    assert event.title == "Atelier réparation vélo"
    accept_edit(version=PendingVersion.objects.get(), by=moderator)
    event.refresh_from_db()
    assert event.title == "Atelier vélo (nouveau)"


def test_edit_of_pending_event_applies_in_place(owner):
    event = make_event(status=Status.PENDING, owner=owner)
    assert services.edit_event(event=event, changes={"title": "Autre"}, by=owner) == "updated"
    event.refresh_from_db()
    assert event.title == "Autre" and not PendingVersion.objects.exists()


def test_sequence_goes_up_when_times_or_status_change_only():
    event = make_event()
    assert event.sequence == 0
    event.title = "Nouveau titre"
    event.save()
    event.refresh_from_db()
    assert event.sequence == 0
    event.start += timedelta(hours=1)
    event.end += timedelta(hours=1)
    event.save()
    event.refresh_from_db()
    assert event.sequence == 1
    event.event_status = EventStatus.CANCELLED
    event.save(update_fields=["event_status"])
    event.refresh_from_db()
    assert event.sequence == 2


def test_accepted_version_moving_the_event_bumps_sequence(owner, moderator):
    event = make_event(owner=owner)
    later = {"start": paris(2027, 3, 17, 18, 0), "end": paris(2027, 3, 17, 20, 0)}
    services.edit_event(event=event, changes=later, by=owner)
    accept_edit(version=PendingVersion.objects.get(), by=moderator)
    event.refresh_from_db()
    assert event.sequence == 1
    assert event.occurrences.get().start == paris(2027, 3, 17, 18, 0)


def test_a_changed_date_of_a_series_bumps_sequence():
    event = make_event(rrule="FREQ=WEEKLY;COUNT=4")
    EventChange.objects.create(event=event, recurrence_id=event.start,
                               start=event.start + timedelta(hours=1),
                               end=event.end + timedelta(hours=1))  # fmt: skip
    event.refresh_from_db()
    assert event.sequence == 1
