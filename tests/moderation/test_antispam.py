import time

import pytest
from django import forms
from django.test import RequestFactory

from essaim.moderation.antispam import HONEYPOT_FIELD, AntiSpamFormMixin, issue_timestamp
from tests.moderation.conftest import form_data

# The block check reads the blocked addresses: every bound form queries the database.
pytestmark = pytest.mark.django_db


class ContactForm(AntiSpamFormMixin, forms.Form):
    message = forms.CharField()


def post(address="192.0.2.1"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_a_patient_person_passes():
    form = ContactForm(form_data(message="Bonjour"), request=post())

    assert form.is_valid(), form.errors


def test_filled_honeypot_is_refused():
    form = ContactForm(form_data(message="Bonjour", **{HONEYPOT_FIELD: "http://spam"}),
                       request=post())  # fmt: skip

    assert not form.is_valid()
    assert "« Ne pas remplir » doit rester vide" in form.non_field_errors()[0]


def test_too_fast_submission_is_refused():
    data = {"message": "Bonjour", "antispam_ts": issue_timestamp(time.time() - 1)}

    form = ContactForm(data, request=post())

    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Formulaire envoyé trop vite. Relisez-le, puis envoyez-le à nouveau."
    ]


def test_forged_or_missing_timestamp_is_refused():
    for stamp in ("", "12345", issue_timestamp(time.time() - 3 * 24 * 3600)):
        form = ContactForm({"message": "x", "antispam_ts": stamp}, request=post())
        assert not form.is_valid()
        assert "expiré" in form.non_field_errors()[0]


def test_rate_limit_counts_per_address(settings):
    settings.ESSAIM_ANTISPAM_RATE_LIMIT = 2
    results = [ContactForm(form_data(message="x"), request=post()).is_valid() for _ in range(3)]
    other = ContactForm(form_data(message="x"), request=post("198.51.100.7"))

    assert results == [True, True, False]
    assert other.is_valid()


def test_rate_limit_error_is_clear(settings):
    settings.ESSAIM_ANTISPAM_RATE_LIMIT = 0

    form = ContactForm(form_data(message="x"), request=post())

    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Trop d'envois depuis votre connexion. Merci de réessayer dans une heure."
    ]


def test_honeypot_renders_hidden_labelled_and_out_of_tab_order():
    html = str(ContactForm(request=post()))

    assert '<div class="honeypot">' in html
    assert "Ne pas remplir" in html
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert 'type="hidden" name="antispam_ts"' in html


@pytest.mark.parametrize("field", ["message"])
def test_content_fields_leave_out_the_honeypot(field):
    assert [f.name for f in ContactForm(request=post()).content_fields] == [field]


def test_a_blocked_address_is_refused_with_a_clear_message_and_others_pass(moderator):
    from essaim.moderation.antispam import address_hash
    from essaim.moderation.models import BlockedAddress

    BlockedAddress.objects.create(address_hash=address_hash(post("192.0.2.66")), reason="Spam")

    blocked = ContactForm(form_data(message="Bonjour"), request=post("192.0.2.66"))
    other = ContactForm(form_data(message="Bonjour"), request=post("192.0.2.67"))

    assert not blocked.is_valid()
    assert blocked.non_field_errors() == [
        "Les envois depuis votre connexion sont bloqués par la modération après des abus. "
        "S'il s'agit d'une erreur, écrivez à l'équipe du réseau."
    ]
    assert other.is_valid(), other.errors


def test_an_expired_block_no_longer_refuses():
    from datetime import timedelta

    from django.utils import timezone

    from essaim.moderation.antispam import address_hash
    from essaim.moderation.models import BlockedAddress

    BlockedAddress.objects.create(address_hash=address_hash(post()), reason="Spam",
                                  expires_at=timezone.now() - timedelta(minutes=1))  # fmt: skip

    assert ContactForm(form_data(message="Bonjour"), request=post()).is_valid()
