"""The yearly review reminder, sent to co-editors (the initiatives' pattern)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from essaim.experiences import services, tasks
from essaim.experiences.models import ReviewReminder
from tests.experiences.conftest import COEDITOR_EMAIL, make_sheet

LONG_AGO = timezone.localdate() - timedelta(days=400)


@pytest.mark.django_db
def test_sheets_unreviewed_for_a_year_remind_their_co_editors_once(index, coeditor):
    sheet = make_sheet(index, co_editors=[coeditor], last_reviewed_on=LONG_AGO)
    make_sheet(index, "Fiche récente", co_editors=[coeditor])

    assert services.send_review_reminders() == 1
    assert services.send_review_reminders() == 0  # idempotent

    [message] = mail.outbox
    assert message.to == [COEDITOR_EMAIL]
    assert "la fiche est-elle toujours juste ?" in message.subject
    assert "/experiences/une-ressourcerie-itinerante/modifier/" in message.body
    assert ReviewReminder.objects.get().page_id == sheet.pk


@pytest.mark.django_db
def test_a_year_after_the_last_reminder_it_is_sent_again(index, coeditor):
    make_sheet(index, co_editors=[coeditor], last_reviewed_on=LONG_AGO)
    services.send_review_reminders()

    later = timezone.now() + timedelta(days=366)
    assert services.send_review_reminders(now=later) == 1


@pytest.mark.django_db
def test_drafts_get_no_reminder(index, coeditor):
    make_sheet(index, publish=False, co_editors=[coeditor], last_reviewed_on=LONG_AGO)

    assert services.send_review_reminders() == 0 and mail.outbox == []


@pytest.mark.django_db
def test_the_periodic_task_is_registered_and_sends(index, coeditor, settings):
    make_sheet(index, co_editors=[coeditor], last_reviewed_on=LONG_AGO)

    assert "essaim.experiences.tasks.send_review_reminders" in settings.ESSAIM_PERIODIC_TASKS
    assert tasks.send_review_reminders.enqueue().return_value == 1


@pytest.mark.django_db
def test_demo_loads_ten_sheets_once(index):
    from io import StringIO

    from essaim.experiences.demo import load_demo
    from essaim.experiences.models import ExperiencePage

    load_demo(StringIO())
    load_demo(StringIO())

    sheets = ExperiencePage.objects.live()
    assert sheets.count() == 10
    assert sheets.filter(outcome__in=["echec-instructif", "abandon"]).count() >= 2
    for sheet in sheets:
        sheet.full_clean()  # no e-mail address or phone number in the demo's narratives


@pytest.mark.django_db
def test_personal_data_lists_co_edited_sheets_and_notes(index, coeditor):
    from essaim.experiences.models import ExperiencePage
    from essaim.experiences.personal_data import collect

    sheet = make_sheet(index, co_editors=[coeditor])
    services.save_co_edit(page=ExperiencePage.objects.get(pk=sheet.pk), by=coeditor,
                          changes={"lessons": "<p>Oui.</p>"}, note="Leçons")  # fmt: skip

    data = collect(coeditor)

    [sheet_row] = data["fiches_co_éditées"]
    assert sheet_row == {"titre": "Une ressourcerie itinérante",
                         "adresse_web": "/experiences/une-ressourcerie-itinerante/",
                         "reçoit_les_messages": True}  # fmt: skip
    assert [row["note"] for row in data["modifications"]] == ["Leçons"]
