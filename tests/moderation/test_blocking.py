"""Blocking an address from the moderators' queue: the block, the refusal of everything
pending it sent (and nothing else), the confirmation, the permissions, and forgetting."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from essaim.moderation import services
from essaim.moderation.models import BlockedAddress, ModerationEvent, Report, Status
from tests.moderation.conftest import make_proposal
from tests.testapp.models import Proposal

pytestmark = pytest.mark.django_db

SPAMMER, OTHER = "a" * 32, "b" * 32
BLOCK = "/admin/moderation/bloquer/"


def submitted(title: str, address: str, **fields) -> Proposal:
    item = make_proposal(Status.DRAFT, title=title, **fields)
    services.submit(obj=item, email="x@example.net", address_hash=address)
    return item


def key(item) -> str:
    return f"testapp.proposal:{item.pk}"


def statuses() -> dict[str, str]:
    return dict(Proposal.objects.values_list("title", "status"))


@pytest.fixture
def wave(db):
    """Two pending spams from one address, one from another, one already published."""
    first, second = submitted("Spam 1", SPAMMER), submitted("Spam 2", SPAMMER)
    honest = submitted("Jardin partagé", OTHER)
    published = submitted("Déjà publié", SPAMMER)
    services.publish(obj=published, by=None)
    return first, second, honest


def test_submission_keeps_the_hash_in_the_history_but_never_in_exports(wave):
    first = wave[0]

    assert services.submission_address(first) == SPAMMER
    event = ModerationEvent.for_object(first).get(action=ModerationEvent.Action.SUBMITTED)
    assert SPAMMER not in str(event.as_row())


def test_blocking_refuses_the_pending_items_of_that_address_only(wave, moderator):
    blocked, refused = services.block_addresses(hashes=[SPAMMER], by=moderator,
                                                reason="Publicité.")  # fmt: skip

    assert (blocked, refused) == (1, 2)
    assert statuses() == {"Spam 1": Status.REJECTED, "Spam 2": Status.REJECTED,
                          "Jardin partagé": Status.PENDING,
                          "Déjà publié": Status.PUBLISHED}  # fmt: skip
    block = BlockedAddress.objects.get()
    assert (block.address_hash, block.reason, block.blocked_by) == (SPAMMER, "Publicité.",
                                                                    moderator)  # fmt: skip
    assert services.is_blocked(SPAMMER) and not services.is_blocked(OTHER)


def test_block_needs_a_reason_and_writes_nothing_without(wave, moderator):
    from essaim.moderation.exceptions import ReasonRequired

    with pytest.raises(ReasonRequired):
        services.block_addresses(hashes=[SPAMMER], by=moderator, reason=" ")

    assert not BlockedAddress.objects.exists()
    assert set(statuses().values()) == {Status.PENDING, Status.PUBLISHED}


def test_moderator_confirms_then_blocks_from_an_item(client, wave, moderator):
    client.force_login(moderator)

    page = client.get(BLOCK, {"items": key(wave[0])}).content.decode()
    assert "Spam 1" in page and "Spam 2" in page and "Jardin partagé" not in page
    assert f"#{SPAMMER[:8]}" in page
    assert statuses()["Spam 1"] == Status.PENDING  # the confirmation page changes nothing

    response = client.post(BLOCK, {"items": key(wave[0]), "confirm": "1",
                                   "reason": "Publicité.", "duration": "30"})  # fmt: skip

    assert response.status_code == 302
    assert statuses()["Spam 2"] == Status.REJECTED and statuses()["Jardin partagé"] == "pending"
    expires = BlockedAddress.objects.get(address_hash=SPAMMER).expires_at
    assert timedelta(days=29) < expires - timezone.now() <= timedelta(days=30)


def test_bulk_block_from_the_queue_asks_for_confirmation_first(client, wave, moderator):
    client.force_login(moderator)
    selection = {"items": [key(wave[0]), key(wave[2])], "reason": "Vague de spam."}

    confirmation = client.post(BLOCK, selection)

    assert confirmation.status_code == 200 and not BlockedAddress.objects.exists()
    assert "Vague de spam." in confirmation.content.decode()
    client.post(BLOCK, {**selection, "confirm": "1", "duration": ""})
    assert set(BlockedAddress.objects.values_list("address_hash", flat=True)) == {SPAMMER, OTHER}
    assert BlockedAddress.objects.get(address_hash=OTHER).expires_at is None
    assert statuses()["Jardin partagé"] == Status.REJECTED


def test_confirmation_without_reason_is_refused_clearly(client, wave, moderator):
    client.force_login(moderator)

    page = client.post(BLOCK, {"items": key(wave[0]), "confirm": "1", "reason": ""})

    assert "Indiquez le motif du refus." in page.content.decode()
    assert not BlockedAddress.objects.exists()


def test_items_sent_from_an_account_have_no_address_to_block(client, moderator, member):
    item = make_proposal(Status.DRAFT, title="Depuis un compte")
    services.submit(obj=item, by=member)
    client.force_login(moderator)

    response = client.post(BLOCK, {"items": key(item), "confirm": "1", "reason": "x"},
                           follow=True)  # fmt: skip

    assert "Aucune adresse connue pour la sélection" in response.content.decode()
    assert not BlockedAddress.objects.exists()


def test_block_needs_the_csrf_token(wave, moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)

    response = client.post(BLOCK, {"items": key(wave[0]), "confirm": "1", "reason": "x"})

    assert response.status_code == 403
    assert not BlockedAddress.objects.exists()


@pytest.mark.parametrize("persona", [None, "outsider", "member", "owner"])
def test_non_moderators_can_neither_block_list_nor_unblock(request, client, persona, wave):
    existing = BlockedAddress.objects.create(address_hash=OTHER, reason="Injures envoyées")
    if persona:
        client.force_login(request.getfixturevalue(persona))

    answers = [
        client.get(BLOCK, {"items": key(wave[0])}),
        client.post(BLOCK, {"items": key(wave[0]), "confirm": "1", "reason": "x"}),
        client.get("/admin/moderation/adresses-bloquees/"),
        client.post(f"/admin/moderation/adresses-bloquees/{existing.pk}/debloquer/"),
    ]

    assert {a.status_code for a in answers} <= {302, 403}
    assert all(b"Injures" not in a.content and b"Spam" not in a.content for a in answers)
    assert list(BlockedAddress.objects.values_list("address_hash", flat=True)) == [OTHER]
    assert statuses()["Spam 1"] == Status.PENDING


def test_moderator_lists_and_lifts_a_block(client, moderator):
    block = BlockedAddress.objects.create(address_hash=SPAMMER, reason="Vague de spam")
    BlockedAddress.objects.create(address_hash=OTHER, reason="Ancien blocage",
                                  expires_at=timezone.now() - timedelta(days=1))  # fmt: skip
    client.force_login(moderator)

    listing = client.get("/admin/moderation/adresses-bloquees/").content.decode()
    assert "Vague de spam" in listing and f"#{SPAMMER[:8]}" in listing
    assert "Ancien blocage" not in listing  # expired: no longer in force

    client.post(f"/admin/moderation/adresses-bloquees/{block.pk}/debloquer/")
    assert not services.is_blocked(SPAMMER)


def test_queue_shows_each_pending_items_address_fingerprint_and_wave_size(client, wave, moderator):
    client.force_login(moderator)

    html = client.get("/admin/moderation/").content.decode()

    assert html.count(f'data-address="{SPAMMER[:8]}"') == 2 and "(2 envois)" in html
    assert html.count(f'data-address="{OTHER[:8]}"') == 1
    assert 'formaction="/admin/moderation/bloquer/"' in html


def test_purge_forgets_old_hashes_and_expired_blocks_only(wave, moderator):
    old = timezone.now() - timedelta(days=31)
    ModerationEvent.objects.filter(object_id=str(wave[0].pk)).update(created_at=old)
    published = make_proposal(title="Signalé")
    closed = services.report(obj=published, reason="spam", address_hash=OTHER)
    services.reject(obj=published, by=moderator, reason="Spam.")
    Report.objects.filter(pk=closed.pk).update(created_at=old)
    BlockedAddress.objects.create(address_hash="c" * 32, reason="fini",
                                  expires_at=timezone.now() - timedelta(seconds=1))  # fmt: skip
    BlockedAddress.objects.create(address_hash=SPAMMER, reason="en cours")

    first = services.purge_address_hashes()
    again = services.purge_address_hashes()

    assert first == {"submissions": 1, "reports": 1, "blocks": 1}
    assert again == {"submissions": 0, "reports": 0, "blocks": 0}
    assert services.submission_address(wave[0]) == ""
    assert services.submission_address(wave[1]) == SPAMMER
    assert Report.objects.get(pk=closed.pk).reporter_key == services.ERASED_REPORTER
    assert list(BlockedAddress.objects.values_list("reason", flat=True)) == ["en cours"]


def test_purge_runs_daily_through_the_worker_schedule(settings, wave):
    from essaim.moderation import tasks

    assert settings.ESSAIM_PERIODIC_TASKS["essaim.moderation.tasks.purge_address_hashes"] == 86400
    ModerationEvent.objects.update(created_at=timezone.now() - timedelta(days=31))

    tasks.purge_address_hashes.call()

    assert not ModerationEvent.objects.exclude(address_hash="").exists()
