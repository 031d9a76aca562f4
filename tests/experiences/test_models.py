import pytest
from django.core.exceptions import ValidationError

from essaim.experiences.contact_details import find_contact_details
from essaim.experiences.models import ExperiencePage
from tests.experiences.conftest import make_sheet


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Écrivez à marie.dupont@asso.example.org demain", ["marie.dupont@asso.example.org"]),
        ("Appelez le 02 47 12 34 56.", ["02 47 12 34 56"]),
        ("ou le +33 6 12 34 56 78", ["+33 6 12 34 56 78"]),
        ("ou le 06.12.34.56.78", ["06.12.34.56.78"]),
        ("Budget : 12 000 € en 2021-2022, 38 t collectées", []),
        ("SIRET 12345678901234", []),
    ],
)
def test_contact_details_are_found_in_text_but_not_amounts_or_years(text, found):
    assert find_contact_details(text) == found


@pytest.mark.django_db
def test_an_email_in_a_narrative_section_is_refused_naming_the_field(index):
    sheet = make_sheet(index)
    sheet.lessons = "<p>Contact : <a href='mailto:x@asso.example.org'>x@asso.example.org</a></p>"

    with pytest.raises(ValidationError) as error:
        sheet.full_clean()

    assert list(error.value.message_dict) == ["lessons"]
    assert "x@asso.example.org" in error.value.message_dict["lessons"][0]


@pytest.mark.django_db
def test_a_phone_number_in_a_timeline_step_is_refused(index):
    sheet = make_sheet(index)
    sheet.timeline = [("step", {"period": "2021", "title": "Lancement",
                                "text": "Réservations au 02 47 00 00 00"})]  # fmt: skip

    with pytest.raises(ValidationError) as error:
        sheet.full_clean()

    assert list(error.value.message_dict) == ["timeline"]


@pytest.mark.django_db
def test_end_before_start_is_refused(index):
    from datetime import date

    sheet = make_sheet(index)
    sheet.started_on, sheet.ended_on = date(2022, 1, 1), date(2021, 1, 1)

    with pytest.raises(ValidationError) as error:
        sheet.full_clean()

    assert list(error.value.message_dict) == ["ended_on"]


@pytest.mark.django_db
def test_section_text_flattens_rich_text_timeline_and_figures(index):
    sheet = make_sheet(index, context="<p>Un <b>besoin</b> réel.</p>")
    sheet.timeline = [("step", {"period": "Mars 2019", "title": "Départ", "text": ""})]
    sheet.key_figures = [("figure", {"label": "Objets", "value": "38.00", "unit": "t"})]

    assert sheet.section_text("context") == "Un besoin réel."
    assert sheet.section_text("timeline") == "Mars 2019 — Départ"
    assert sheet.section_text("key_figures").startswith("Objets : 38")


def test_only_index_pages_may_hold_sheets_and_sheets_hold_nothing():
    assert ExperiencePage.parent_page_types == ["experiences.ExperienceIndexPage"]
    assert ExperiencePage.subpage_types == []
