import json

import pytest
from allauth.account.models import EmailAddress

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/mon-compte/",
        "/mon-compte/mes-donnees/",
        "/mon-compte/mes-donnees.json",
        "/mon-compte/supprimer/",
    ],
)
def test_signed_out_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/comptes/login/?next={path}"


def test_profile_shows_ones_own_account_and_roles_only(client, member, outsider):
    client.force_login(member)
    html = client.get("/mon-compte/").content.decode()
    assert "bob@example.org" in html
    assert "<li>Organisation membre</li>" in html
    assert "charlie@example.org" not in html and "Charlie" not in html
    assert html.count("<h1") == 1
    assert 'href="/comptes/email/"' in html and 'href="/comptes/password/change/"' in html


def test_profile_saves_the_display_name(client, member):
    client.force_login(member)
    response = client.post("/mon-compte/", {"display_name": "La Ruche"})
    assert response["Location"] == "/mon-compte/"
    member.refresh_from_db()
    assert member.display_name == "La Ruche"


def test_profile_cannot_change_the_email_or_the_roles(client, member):
    client.force_login(member)
    client.post("/mon-compte/", {"display_name": "B", "email": "x@example.org", "is_staff": "on"})
    member.refresh_from_db()
    assert (member.email, member.is_staff) == ("bob@example.org", False)


def test_data_download_holds_ones_own_data_and_nothing_of_another_persona(client, member, outsider):
    client.force_login(member)
    response = client.get("/mon-compte/mes-donnees.json")
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees-essaim.json"'
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert json.loads(body)["compte"]["email"] == "bob@example.org"
    assert "charlie" not in body.lower()


def test_deletion_with_a_wrong_password_keeps_the_account(client, member):
    client.force_login(member)
    response = client.post("/mon-compte/supprimer/", {"password": "wrong"})
    assert 'id="id_password_error"' in response.content.decode()
    assert type(member).objects.filter(pk=member.pk).exists()


def test_deletion_removes_the_account_and_its_addresses_and_signs_out(client, member, outsider):
    client.force_login(member)
    response = client.post("/mon-compte/supprimer/", {"password": PASSWORD}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert not response.context["user"].is_authenticated
    assert "Votre compte a été supprimé." in response.content.decode()
    assert not type(member).objects.filter(pk=member.pk).exists()
    assert list(EmailAddress.objects.values_list("email", flat=True)) == ["charlie@example.org"]


def test_deletion_needs_a_post_with_csrf(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post("/mon-compte/supprimer/", {"password": PASSWORD}).status_code == 403
    assert type(member).objects.filter(pk=member.pk).exists()


def test_the_readable_data_page_shows_the_same_data_as_the_download(client, member, outsider):
    from essaim.initiatives.models import Initiative

    member.display_name = "<b>La Ruche</b>"
    member.save()
    Initiative.objects.create(name="Jardin de Bob", slug="jardin-bob", submitted_by=member,
                              submitter_email="bob@example.org")  # fmt: skip
    client.force_login(member)

    html = client.get("/mon-compte/mes-donnees/").content.decode()
    data = client.get("/mon-compte/mes-donnees.json").json()

    assert "no-store" in client.get("/mon-compte/mes-donnees/")["Cache-Control"]
    for section in data:
        assert f'id="donnees-{section}"' in html
    assert "bob@example.org" in html and "Jardin de Bob" in html
    assert "&lt;b&gt;La Ruche&lt;/b&gt;" in html  # shown as text, never as markup
    assert "charlie" not in html.lower()
