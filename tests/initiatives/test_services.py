from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from essaim.initiatives import services
from essaim.initiatives.models import ConfirmationReminder
from essaim.initiatives.signals import initiatives_changed
from essaim.moderation.models import ModerationEvent, Status
from tests.initiatives.conftest import make_initiative


@pytest.mark.django_db
def test_link_keys_are_per_initiative_per_purpose_and_revoked_by_a_new_secret(published):
    key = services.link_key(published)

    assert services.key_is_valid(published, key)
    assert not services.key_is_valid(published, key, purpose="confirm")
    published.edit_secret = "rotated"
    assert not services.key_is_valid(published, key)


@pytest.mark.django_db
def test_slugs_are_unique_and_avoid_page_paths():
    make_initiative("AMAP de Tours")

    assert services.unique_slug("AMAP de Tours") == "amap-de-tours-2"
    assert services.unique_slug("Proposer") == "proposer-2"


@pytest.mark.django_db
def test_merge_fills_empty_fields_archives_the_duplicate_and_signals(moderator, themes):
    keep = make_initiative("Ressourcerie", slug="a", website="", phone="02 47 00 00 00")
    duplicate = make_initiative("La Ressourcerie", slug="b", website="https://r.example.org/",
                                phone="09 99 99 99 99", themes=[themes["food"]])  # fmt: skip
    received = []
    initiatives_changed.connect(lambda sender, ids, **kw: received.append(ids), weak=False)

    services.merge_initiatives(keep=keep, duplicate=duplicate, by=moderator)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert (keep.website, keep.phone) == ("https://r.example.org/", "02 47 00 00 00")
    assert list(keep.themes.all()) == [themes["food"]]
    assert duplicate.status == Status.ARCHIVED
    event = ModerationEvent.for_object(duplicate).get(action="archived")
    assert event.reason == f"Fusionnée dans « Ressourcerie » (n° {keep.pk})."
    assert received[-1] == [keep.pk, duplicate.pk]


@pytest.mark.django_db
def test_merging_a_pending_duplicate_refuses_it(moderator, pending):
    keep = make_initiative("Repair café Joué", slug="keep")

    services.merge_initiatives(keep=keep, duplicate=pending, by=moderator)

    pending.refresh_from_db()
    assert pending.status == Status.REJECTED


@pytest.mark.django_db
def test_yearly_reminder_goes_once_to_the_owner_with_both_links(owner):
    old = timezone.now() - timedelta(days=400)
    stale = make_initiative("Ancienne", slug="ancienne", owner=owner, published_at=old)
    make_initiative("Confirmée", slug="confirmee", published_at=old,
                    last_confirmed_at=timezone.now() - timedelta(days=10),
                    submitter_email="x@example.net")  # fmt: skip
    make_initiative("Récente", slug="recente", submitter_email="y@example.net")

    assert services.send_confirmation_reminders() == 1
    assert services.send_confirmation_reminders() == 0  # idempotent

    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert services.confirm_url(stale) in message.body and services.edit_url(stale) in message.body
    assert ConfirmationReminder.objects.get().initiative == stale


@pytest.mark.django_db
def test_a_reminder_comes_again_a_year_later_if_still_unconfirmed(owner):
    stale = make_initiative("Ancienne", owner=owner,
                            published_at=timezone.now() - timedelta(days=800))  # fmt: skip
    services.send_confirmation_reminders(now=timezone.now() - timedelta(days=370))

    assert services.send_confirmation_reminders() == 1
    assert ConfirmationReminder.objects.filter(initiative=stale).count() == 2


@pytest.mark.django_db
def test_items_pending_too_long_are_flagged_once_to_moderators(moderator, pending):
    pending.submitted_at = timezone.now() - timedelta(days=16)
    pending.save()
    make_initiative("Récente", Status.PENDING, slug="recente")

    assert services.review_pending_initiatives() == {"decided": 0, "flagged": 1}
    assert services.review_pending_initiatives() == {"decided": 0, "flagged": 0}

    [message] = mail.outbox
    assert message.to == ["mona@example.org"] and "Repair café de Joué" in message.body
    assert ModerationEvent.for_object(pending).filter(data__flag="pending_too_long").count() == 1


@pytest.mark.django_db
def test_periodic_tasks_are_declared(settings):
    tasks = settings.ESSAIM_PERIODIC_TASKS
    assert tasks["essaim.initiatives.tasks.review_pending_initiatives"] == 86400
    assert tasks["essaim.initiatives.tasks.send_confirmation_reminders"] == 86400


@pytest.mark.django_db
def test_a_slug_taken_meanwhile_by_a_concurrent_proposal_gets_a_suffix():
    from essaim.initiatives.models import Initiative

    services.propose_initiative(initiative=Initiative(name="Repair Café"), themes=[])
    # A second request computed the same free slug before the first one inserted it.
    late = Initiative(name="Repair Café", slug="repair-cafe")

    services.propose_initiative(initiative=late, themes=[])

    assert late.slug.startswith("repair-cafe-") and late.slug != "repair-cafe"
    assert Initiative.objects.filter(name="Repair Café").count() == 2
