"""« Reproduire cette expérience » : the relay to the sheet's team."""

import pytest
from django.core import mail

from essaim.experiences.models import ExperienceCoEditor
from tests.experiences.conftest import COEDITOR_EMAIL, form_data, make_sheet

CONTACT = "/experiences/une-ressourcerie-itinerante/contact/"


@pytest.mark.django_db
def test_message_is_relayed_to_the_co_editors_without_revealing_their_address(client, sheet):
    data = form_data(name="Zoé", email="zoe@example.net",
                     message="Comment avez-vous trouvé le camion ?")  # fmt: skip
    response = client.post(CONTACT, data)

    html = response.content.decode()
    assert response.status_code == 200 and "Message envoyé" in html
    assert COEDITOR_EMAIL not in html
    [message] = mail.outbox
    assert message.to == [COEDITOR_EMAIL] and message.reply_to == ["zoe@example.net"]
    assert "Comment avez-vous trouvé le camion ?" in message.body
    assert "http://127.0.0.1:8000/experiences/une-ressourcerie-itinerante/" in message.body


@pytest.mark.django_db
def test_co_editors_who_opted_out_get_no_message(client, sheet, member):
    ExperienceCoEditor.objects.filter(page=sheet).update(receives_messages=False)
    ExperienceCoEditor.objects.create(page=sheet, user=member)

    client.post(CONTACT, form_data(name="Zoé", email="zoe@example.net", message="Bonjour"))

    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


@pytest.mark.django_db
def test_robots_are_refused(client, sheet):
    response = client.post(CONTACT, form_data(name="Bot", email="bot@example.net",
                                              message="Buy", site_web_2="http://spam"))  # fmt: skip

    assert response.status_code == 400 and mail.outbox == []
    assert COEDITOR_EMAIL not in response.content.decode()


@pytest.mark.django_db
def test_contact_is_rate_limited(client, sheet, settings):
    settings.ESSAIM_ANTISPAM_RATE_LIMIT = 2
    data = form_data(name="Zoé", email="zoe@example.net", message="Bonjour")

    statuses = [client.post(CONTACT, data).status_code for _ in range(3)]

    assert statuses == [200, 200, 400] and len(mail.outbox) == 2


@pytest.mark.django_db
def test_no_form_and_404_when_the_sheet_has_no_contact(client, index):
    make_sheet(index)

    assert "reproduire-contact" not in client.get(CONTACT.replace("contact/", "")).content.decode()
    data = form_data(name="Zoé", email="zoe@example.net", message="Bonjour")
    assert client.post(CONTACT, data).status_code == 404 and mail.outbox == []


@pytest.mark.django_db
def test_contact_on_a_draft_is_404(client, index, coeditor):
    make_sheet(index, publish=False, co_editors=[coeditor])

    data = form_data(name="Zoé", email="zoe@example.net", message="Bonjour")
    assert client.post(CONTACT, data).status_code == 404 and mail.outbox == []
