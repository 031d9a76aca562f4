"""The co-editors' front-end form: who may use it, what a save does."""

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry

from essaim.experiences.models import ExperiencePage, RevisionNote
from tests.experiences.conftest import make_sheet

EDIT_URL = "/experiences/une-ressourcerie-itinerante/modifier/"


def edit_data(sheet: ExperiencePage, **changes) -> dict:
    """The form as shown, with ``changes`` applied (what a browser would send)."""
    from essaim.experiences.forms import CoEditForm

    form = CoEditForm(page=sheet)
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data |= {"etapes-TOTAL_FORMS": "2", "etapes-INITIAL_FORMS": "0",
             "chiffres-TOTAL_FORMS": "2", "chiffres-INITIAL_FORMS": "0"}  # fmt: skip
    return {key: value for key, value in (data | changes).items() if value is not None}


# --- who may edit --------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client, sheet):
    response = client.get(EDIT_URL)

    assert response.status_code == 302
    assert response["Location"] == f"/comptes/login/?next={EDIT_URL}"
    assert client.post(EDIT_URL, {"title": "Piraté"}).status_code == 302
    assert ExperiencePage.objects.get(pk=sheet.pk).title == "Une ressourcerie itinérante"


@pytest.mark.django_db
def test_outsiders_are_refused_and_change_nothing(client, sheet, outsider):
    client.force_login(outsider)

    assert client.get(EDIT_URL).status_code == 403
    response = client.post(EDIT_URL, edit_data(sheet, title="Piraté"))

    assert response.status_code == 403
    assert ExperiencePage.objects.get(pk=sheet.pk).title == "Une ressourcerie itinérante"
    assert "Modifier cette fiche" not in client.get(sheet.url).content.decode()


@pytest.mark.django_db
def test_members_who_are_not_co_editors_are_refused(client, sheet, member):
    client.force_login(member)

    assert client.get(EDIT_URL).status_code == 403


@pytest.mark.django_db
def test_co_editors_see_the_form_and_the_edit_link(client, sheet, coeditor):
    client.force_login(coeditor)

    response = client.get(EDIT_URL)

    assert response.status_code == 200
    assert "Pas de déchèterie à moins de 40 minutes." in response.content.decode()
    assert f'href="{EDIT_URL}"' in client.get(sheet.url).content.decode()


@pytest.mark.django_db
def test_editors_with_page_permissions_may_use_the_form_too(client, sheet, editor):
    client.force_login(editor)

    assert client.get(EDIT_URL).status_code == 200


# --- what a save does ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_save_is_a_published_revision_by_the_co_editor_with_its_note(client, sheet, coeditor):
    client.force_login(coeditor)

    response = client.post(EDIT_URL, edit_data(
        sheet, lessons="Tester la vente trois mois avant d'acheter le camion.",
        note="Ajout des enseignements",
    ))  # fmt: skip

    assert response.status_code == 302 and response["Location"] == sheet.url
    live = ExperiencePage.objects.get(pk=sheet.pk)
    assert live.lessons == "<p>Tester la vente trois mois avant d'acheter le camion.</p>"
    assert live.live_revision.user == coeditor
    assert RevisionNote.objects.get(revision=live.live_revision).note == "Ajout des enseignements"
    assert PageLogEntry.objects.filter(page=sheet, action="wagtail.publish",
                                       user=coeditor).count() == 1  # fmt: skip
    assert live.last_reviewed_on == timezone.localdate()


@pytest.mark.django_db
def test_untouched_sections_keep_their_formatting(client, index, coeditor):
    sheet = make_sheet(index, context="<p>Un <b>vrai</b> besoin, <a href='https://a.example'>ici</a>.</p>",
                       co_editors=[coeditor])  # fmt: skip
    client.force_login(coeditor)

    client.post(EDIT_URL, edit_data(sheet, summary="Un nouveau résumé."))

    live = ExperiencePage.objects.get(pk=sheet.pk)
    assert live.summary == "Un nouveau résumé."
    assert "<b>vrai</b>" in live.context


@pytest.mark.django_db
def test_timeline_and_key_figures_are_edited_as_rows(client, sheet, coeditor):
    client.force_login(coeditor)

    client.post(EDIT_URL, edit_data(
        sheet, **{"etapes-0-period": "Mars 2019", "etapes-0-title": "Premières tournées",
                  "etapes-0-text": "Quatre villages.", "chiffres-0-label": "Objets collectés",
                  "chiffres-0-value": "38", "chiffres-0-unit": "t"},
    ))  # fmt: skip

    live = ExperiencePage.objects.get(pk=sheet.pk)
    assert [dict(step.value) for step in live.timeline] == [
        {"period": "Mars 2019", "title": "Premières tournées", "text": "Quatre villages."}
    ]
    assert live.section_text("key_figures") == "Objets collectés : 38 t"


@pytest.mark.django_db
def test_contact_details_are_refused_with_a_message_on_the_field(client, sheet, coeditor):
    client.force_login(coeditor)
    revisions = sheet.revisions.count()

    response = client.post(EDIT_URL, edit_data(sheet, actors="Joignez Paul au 06 12 34 56 78."))

    assert response.status_code == 400
    assert "Retirez les coordonnées personnelles (06 12 34 56 78)" in response.content.decode()
    assert sheet.revisions.count() == revisions


@pytest.mark.django_db
def test_a_step_without_title_is_refused_naming_the_field(client, sheet, coeditor):
    client.force_login(coeditor)

    response = client.post(EDIT_URL, edit_data(sheet, **{"etapes-0-period": "2020"}))

    assert response.status_code == 400
    assert "Donnez un titre à cette étape." in response.content.decode()


@pytest.mark.django_db
def test_marking_as_reviewed_sets_today_in_a_new_revision(client, index, coeditor):
    sheet = make_sheet(index, co_editors=[coeditor],
                       last_reviewed_on=timezone.localdate().replace(year=2020))  # fmt: skip
    client.force_login(coeditor)

    response = client.post(EDIT_URL, {"reviewed": "1"})

    assert response.status_code == 302
    live = ExperiencePage.objects.get(pk=sheet.pk)
    assert live.last_reviewed_on == timezone.localdate()
    assert live.live_revision.user == coeditor
