"""allauth's flows, in French, inside Essaim's layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-autre-cheval-agrafe"
LINK = re.compile(r"https?://testserver(/comptes/\S+/)")


def link_in_last_mail() -> str:
    return LINK.search(mail.outbox[-1].body).group(1)


def sign_up(client, email="dora@example.org"):
    return client.post(
        "/comptes/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_signup_sends_a_verification_mail_whose_link_verifies_and_signs_in(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/comptes/confirm-email/"
    assert [m.to for m in mail.outbox] == [["dora@example.org"]]
    confirm_url = link_in_last_mail()
    page = client.get(confirm_url)
    assert re.search(r"<h1>\s*Confirmer l", page.content.decode())
    client.post(confirm_url)
    assert EmailAddress.objects.get(email="dora@example.org").verified
    assert client.get("/mon-compte/").context["user"].email == "dora@example.org"


def test_login_with_an_unverified_address_is_refused_with_the_verification_notice(client):
    sign_up(client)
    client.logout()
    response = client.post(
        "/comptes/login/", {"login": "dora@example.org", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/comptes/confirm-email/"
    assert "Vérifiez votre adresse" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_login_by_email_signs_the_person_in(client, member):
    response = client.post("/comptes/login/", {"login": "bob@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/mon-compte/").context["user"] == member


def test_login_with_a_wrong_password_shows_the_error_linked_to_the_form(client, member):
    response = client.post("/comptes/login/", {"login": "bob@example.org", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<div class="form-errors" role="alert"><ul class="errorlist nonfield">'
        "<li>L’adresse e-mail ou le mot de passe sont incorrects.</li></ul></div>"
    ) in html


def test_password_reset_by_mail_sets_a_new_password(client, member):
    client.post("/comptes/password/reset/", {"email": "bob@example.org"})
    assert mail.outbox[-1].to == ["bob@example.org"]
    key_url = client.get(link_in_last_mail())["Location"]  # allauth hides the key
    assert_in_our_layout(client.get(key_url).content.decode())
    response = client.post(key_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == "/comptes/password/reset/key/done/"
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_repeated_failed_logins_are_rate_limited(client, member):
    for _ in range(5):
        client.post("/comptes/login/", {"login": "bob@example.org", "password": "wrong"})
    response = client.post("/comptes/login/", {"login": "bob@example.org", "password": PASSWORD})
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
    assert not response.context["user"].is_authenticated


PAGES = [
    "/comptes/login/",
    "/comptes/signup/",
    "/comptes/password/reset/",
    "/comptes/password/reset/done/",
    "/comptes/confirm-email/",
    "/comptes/confirm-email/not-a-key/",
    "/comptes/password/reset/key/done/",
    "/comptes/password/reset/key/1-not-a-key/",
]
SIGNED_IN_PAGES = [
    "/comptes/logout/",
    "/comptes/email/",
    "/comptes/password/change/",
]


def assert_in_our_layout(html: str):
    assert '<html lang="fr">' in html
    assert 'href="/static/css/essaim.css"' in html
    assert html.count("<h1") == 1
    assert "<script" not in html
    assert "style=" not in html
    assert not re.search(r"\son\w+=", html)  # no inline event handler


@pytest.mark.parametrize("path", PAGES + ["/comptes/reauthenticate/"])
def test_entrance_pages_use_our_layout_in_french(client, member, path):
    if path == "/comptes/reauthenticate/":
        client.force_login(member)
    html = client.get(path).content.decode()
    assert_in_our_layout(html)


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_account_management_pages_use_our_layout_in_french(client, member, path):
    client.force_login(member)
    html = client.get(path).content.decode()
    assert_in_our_layout(html)
    assert 'href="/mon-compte/">Mon compte</a>' in html  # breadcrumbs back to the profile


def test_login_form_ties_labels_help_and_autocomplete_to_inputs(client):
    html = client.get("/comptes/login/").content.decode()
    assert '<label for="id_login">' in html
    assert 'autocomplete="email"' in html
    assert '<label for="id_password">' in html
    assert 'autocomplete="current-password"' in html
    assert re.search(r"<h1>\s*Connexion\s*</h1>", html)


def test_signup_errors_are_described_by_their_message(client):
    response = client.post(
        "/comptes/signup/", {"email": "pas-une-adresse", "password1": "a", "password2": "b"}
    )
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="id_email_error"[^>]*name="email"', html) or (
        re.search(r'<input[^>]*name="email"[^>]*aria-describedby="id_email_error"', html)
    )
    assert 'autocomplete="new-password"' in html


def test_email_management_page_lists_addresses_in_a_fieldset_without_script(client, member):
    client.force_login(member)
    html = client.get("/comptes/email/").content.decode()
    assert "<legend>" in html
    assert '<label for="email_radio_0">bob@example.org' in html
