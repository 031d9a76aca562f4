"""A person registers for a training without an account, confirms through the e-mailed
link, and the organiser finds them in the list; axe-core on the form, the confirmation
page and the list. (The registration page carries the same block as the event's page.)"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from essaim.agenda.models import Registration
from tests.agenda.conftest import PARIS, make_event
from tests.browser.helpers import assert_accessible, log_in


@pytest.fixture
def fast_forms(settings):
    # The anti-spam minimum fill time would make the browser wait; the rule has its own tests.
    settings.ESSAIM_ANTISPAM_MIN_SECONDS = 0


def training(owner):
    day = (timezone.now() + timedelta(days=12)).astimezone(PARIS)
    start = day.replace(hour=9, minute=30, second=0, microsecond=0)
    return make_event("Formation : animer une AG", start=start, end=start + timedelta(hours=3),
                      slug="formation-ag", registration_mode="builtin", capacity=12,
                      owner=owner)  # fmt: skip


def test_register_confirm_by_email_link_then_organiser_sees_the_person(
    new_page, live_server, fast_forms, owner
):
    event = training(owner)
    visitor = new_page()
    visitor.goto(f"/agenda/{event.slug}/inscription/")
    expect(visitor.get_by_text("12 places restantes")).to_be_visible()
    assert_accessible(visitor)

    visitor.get_by_label("Votre nom").fill("Léa Martin")
    visitor.get_by_label("Votre adresse e-mail").fill("lea@example.net")
    visitor.get_by_label("Nombre de places").fill("2")
    visitor.get_by_label("J'accepte ces conditions.").check()
    visitor.get_by_role("button", name="M'inscrire").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Confirmez votre inscription")
    assert Registration.objects.get().state == Registration.State.UNCONFIRMED

    link = re.search(r"https?://\S+/confirmer/\S+/", mail.outbox[0].body)[0]
    visitor.goto(re.sub(r"^https?://[^/]+", "", link))
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Je confirme mon inscription").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Inscription confirmée")
    assert_accessible(visitor)
    assert Registration.objects.get().state == Registration.State.CONFIRMED

    organiser = new_page()
    log_in(organiser, owner, live_server.url)
    organiser.goto(f"/agenda/{event.slug}/inscription/")
    organiser.get_by_role("link", name="Voir la liste des inscrits").click()
    row = organiser.get_by_role("row", name=re.compile("Léa Martin"))
    expect(row).to_contain_text("lea@example.net")
    expect(row).to_contain_text("Confirmée")
    expect(organiser.get_by_text("2 places confirmées, 10 libre(s).")).to_be_visible()
    assert_accessible(organiser)
