import pytest

from essaim.accounts.roles import Role
from essaim.moderation.models import Status
from tests.agenda.conftest import make_event
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(django_user_model):
    return make_user(django_user_model, "ada@example.org", Role.ADMINISTRATOR)


def test_admin_lists_events_filtered_by_status(client, administrator):
    make_event("Atelier déjà public")
    make_event("En attente", status=Status.PENDING)
    client.force_login(administrator)
    body = client.get("/admin/agenda_events/?status=pending").content.decode()
    assert "En attente" in body and "Atelier déjà public" not in body


def test_admin_edit_form_opens(client, administrator):
    event = make_event("Atelier")
    client.force_login(administrator)
    response = client.get(f"/admin/agenda_events/edit/{event.pk}/")
    assert response.status_code == 200 and 'value="Atelier"' in response.content.decode()


def test_moderation_queue_shows_pending_events(client, moderator):
    make_event("Atelier proposé", status=Status.PENDING)
    client.force_login(moderator)
    assert "Atelier proposé" in client.get("/admin/moderation/").content.decode()


def test_outsider_cannot_open_the_events_admin(client, outsider):
    make_event("Atelier")
    client.force_login(outsider)
    response = client.get("/admin/agenda_events/")
    assert response.status_code in (302, 403) and "Atelier" not in response.content.decode()
