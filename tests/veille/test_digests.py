"""The weekly letter: double opt-in, per-theme selection, unsubscribe, web archive."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from essaim.moderation.antispam import TIMESTAMP_FIELD, issue_timestamp
from essaim.veille import services
from essaim.veille.models import Digest, DigestSubscription
from tests.veille import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def instant_forms(settings):
    settings.ESSAIM_ANTISPAM_MIN_SECONDS = 0


def confirmed(email, themes=()):
    subscription = DigestSubscription.objects.create(email=email, confirmed_at=timezone.now())
    subscription.themes.set(themes)
    return subscription


def test_subscribing_mails_a_confirmation_link_and_confirming_activates(client, themes):
    response = client.post("/veille/abonnement/", {
        "email": "lea@example.net", "themes": [themes["insertion"].pk],
        TIMESTAMP_FIELD: issue_timestamp(time.time() - 10)})  # fmt: skip
    assert response.status_code == 200
    subscription = DigestSubscription.objects.get()
    assert subscription.confirmed_at is None
    (message,) = mail.outbox
    assert f"/veille/abonnement/confirmer/{subscription.token}/" in message.body
    client.get(f"/veille/abonnement/confirmer/{subscription.token}/")
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_bad_email_is_refused_with_400(client):
    response = client.post("/veille/abonnement/", {
        "email": "pas-un-email", TIMESTAMP_FIELD: issue_timestamp(time.time() - 10)})  # fmt: skip
    assert response.status_code == 400 and not DigestSubscription.objects.exists()


def test_letter_goes_to_confirmed_subscribers_with_their_themes(themes):
    insertion = factories.pick(factories.item(title="Chantiers d'insertion"),
                               themes=[themes["insertion"]])  # fmt: skip
    factories.pick(factories.item(title="Tiers-lieu rural"), themes=[themes["tiers-lieux"]])
    factories.pick(factories.item(factories.source(is_public=False), title="Note privée"))
    confirmed("all@example.net")
    confirmed("insertion@example.net", [themes["insertion"]])
    DigestSubscription.objects.create(email="pending@example.net")  # never confirmed
    digest = services.send_digest()
    assert (digest.pick_count, digest.recipient_count) == (2, 2)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"all@example.net", "insertion@example.net"}
    narrow = by_recipient["insertion@example.net"]
    assert insertion.item.title in narrow.body and "Tiers-lieu rural" not in narrow.body
    assert "Note privée" not in by_recipient["all@example.net"].body
    token = DigestSubscription.objects.get(email="insertion@example.net").token
    assert narrow.extra_headers["List-Unsubscribe"].endswith(f"/desabonner/{token}/>")
    html = narrow.alternatives[0][0]
    assert f"/desabonner/{token}/" in html and "Chantiers d&#x27;insertion" in html


def test_letter_is_sent_once_a_week_and_archived(client):
    factories.pick(factories.item(title="Premier article"))
    first = services.send_digest()
    factories.pick(factories.item(title="Second article"))
    assert services.send_digest() is None  # not a week yet
    later = timezone.now() + timedelta(days=7)
    second = services.send_digest(now=later)
    assert (first.pick_count, second.pick_count) == (1, 1)
    archive = client.get("/veille/lettres/").content.decode()
    assert first.subject in archive
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Second article" in page and "Premier article" not in page


def test_nothing_new_sends_nothing():
    assert services.send_digest() is None and not Digest.objects.exists()


def test_unsubscribing_takes_a_post(client):
    subscription = confirmed("lea@example.net")
    url = f"/veille/abonnement/desabonner/{subscription.token}/"
    client.get(url)
    assert DigestSubscription.objects.exists()  # mail scanners follow links
    client.post(url)
    assert not DigestSubscription.objects.exists()


def test_send_digest_command_reports(capsys):
    factories.pick()
    confirmed("lea@example.net")
    call_command("send_digest")
    assert "1 sélection(s), 1 destinataire(s)" in capsys.readouterr().out
    call_command("send_digest")
    assert "Pas de lettre" in capsys.readouterr().out
