import re
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from essaim.initiatives import notifications
from essaim.initiatives.models import Subscription
from essaim.moderation.antispam import TIMESTAMP_FIELD, issue_timestamp
from essaim.moderation.models import Status
from tests.conftest import PASSWORD
from tests.initiatives.data_fixtures import (
    make_initiative,
    themes_fixture,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db
URL = "/initiatives/alertes/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def subscribe(client, **fields):
    data = {"email": "lea@example.net", "commune_text": "Tours (37)", "radius_km": 10,
            "frequency": "daily", TIMESTAMP_FIELD: issue_timestamp(time.time() - 10)}  # fmt: skip
    data.update(fields)
    return client.post(URL, data)


def link(message, name: str) -> str:
    return re.search(rf"http://\S+/{name}/\S+/", message.body)[0].split("testserver")[-1]


def test_subscription_waits_for_the_confirmation_link(client):
    response = subscribe(client)

    subscription = Subscription.objects.get()
    assert (subscription.commune_id, subscription.confirmed_at) == ("37261", None)
    assert "lea@example.net" in response.content.decode()
    assert mail.outbox[0].to == ["lea@example.net"]
    confirm_path = re.search(r"(/initiatives/alertes/confirmer/\S+/)", mail.outbox[0].body)[1]
    assert "/initiatives/alertes/desabonner/" in mail.outbox[0].body
    client.get(confirm_path)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_unconfirmed_subscriptions_get_no_digest(client):
    subscribe(client)
    make_initiative(name="Près de Tours", latitude=47.40, longitude=0.70,
                    published_at=timezone.now())  # fmt: skip
    mail.outbox.clear()
    assert notifications.send_due_alerts() == 0
    assert mail.outbox == []


def test_honeypot_refuses_robots(client):
    subscribe(client, site_web_2="http://spam.example")
    assert Subscription.objects.count() == 0


@pytest.fixture
def confirmed(db):
    return Subscription.objects.create(
        kind=Subscription.Kind.NEARBY, email="lea@example.net", commune_id="37261",
        radius_km=10, frequency="daily", confirmed_at=timezone.now() - timezone.timedelta(days=2),
    )  # fmt: skip


def test_digest_lists_nearby_new_initiatives_once(confirmed):
    now = timezone.now()
    make_initiative(name="Près de Tours", latitude=47.40, longitude=0.70, published_at=now)
    make_initiative(name="À Bourges", latitude=47.08, longitude=2.39, published_at=now)
    make_initiative(name="Pas publiée", latitude=47.40, longitude=0.70, status=Status.PENDING)

    assert notifications.send_due_alerts() == 1
    body = mail.outbox[0].body
    assert "Près de Tours" in body
    assert "À Bourges" not in body and "Pas publiée" not in body
    assert "/initiatives/alertes/desabonner/" in body
    tomorrow = now + timezone.timedelta(days=1)
    assert notifications.send_due_alerts(now=tomorrow) == 0  # nothing new: no second mail
    assert len(mail.outbox) == 1


def test_unsubscribe_needs_a_post(client, confirmed):
    path = f"/initiatives/alertes/desabonner/{confirmed.token}/"
    client.get(path)
    assert Subscription.objects.count() == 1
    client.post(path)
    assert Subscription.objects.count() == 0


def test_moderators_get_new_pending_initiatives_of_their_theme(client, moderator, themes):
    client.login(email=moderator.email, password=PASSWORD)
    data = {"territory_key": "37", "themes": [themes[0].pk], "frequency": "hourly"}
    client.post("/initiatives/alertes/moderation/", data)
    subscription = Subscription.objects.get(user=moderator)
    now = timezone.now()
    make_initiative(name="À Tours", commune_id="37261", status=Status.PENDING,
                    submitted_at=now, themes=[themes[0]])  # fmt: skip
    make_initiative(name="Autre thème", commune_id="37261", status=Status.PENDING,
                    submitted_at=now, themes=[themes[1]])  # fmt: skip
    make_initiative(name="À Bourges", commune_id="18033", status=Status.PENDING,
                    submitted_at=now, themes=[themes[0]])  # fmt: skip

    assert notifications.send_digest(subscription=subscription) == 1
    assert "À Tours" in mail.outbox[0].body
    assert "Autre thème" not in mail.outbox[0].body and "À Bourges" not in mail.outbox[0].body
    assert notifications.send_digest(subscription=subscription) == 0


def test_outsider_cannot_create_moderation_alerts(client, outsider):
    client.login(email=outsider.email, password=PASSWORD)
    response = client.post("/initiatives/alertes/moderation/", {"frequency": "hourly"})
    assert response.status_code == 403
    assert Subscription.objects.count() == 0
