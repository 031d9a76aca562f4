import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from essaim.initiatives import services
from essaim.initiatives.models import GeocodingState, Initiative
from essaim.moderation import services as moderation
from essaim.moderation.models import ModerationEvent, PendingVersion, Status
from essaim.territories.forms import resolve_commune
from tests.initiatives.conftest import form_data, make_initiative


def proposal(theme_fixture, **fields) -> dict:
    data = {
        "name": "Ressourcerie de Chinon", "summary": "Objets de seconde main.",
        "themes": [theme_fixture["amap"].pk], "address": "2 rue Voltaire", "postal_code": "37500",
        "commune_label": "Chinon", "proposer_email": "lea@example.net",
        "legal_form": "association",
    }  # fmt: skip
    return form_data(**{**data, **fields})


# --- proposal ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_proposal_page_is_an_accessible_form(client, themes):
    html = client.get("/initiatives/proposer/").content.decode()

    assert "<h1>Proposer une initiative</h1>" in html
    assert html.count("<fieldset") >= 5 and "<legend>Alimentation</legend>" in html
    assert '<label for="id_name">' in html and '<label for="id_commune_label">' in html
    assert 'list="commune-suggestions"' in html and 'data-autocomplete-url="/territoires/' in html
    assert '<input type="hidden" name="latitude"' in html
    assert 'id="id_proposer_email"' in html and '<div class="honeypot">' in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.django_db
def test_anonymous_proposal_goes_pending_at_the_commune_point_and_mails_the_edit_link(
    client, themes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/initiatives/proposer/", proposal(themes))

    assert response.status_code == 302 and response["Location"] == "/initiatives/proposer/merci/"
    initiative = Initiative.objects.get()
    assert (initiative.status, initiative.commune_id, initiative.submitter_email) == (
        Status.PENDING, "37072", "lea@example.net"
    )  # fmt: skip
    assert initiative.geocoding == GeocodingState.COMMUNE
    assert (initiative.latitude, initiative.longitude) == (
        initiative.commune.latitude, initiative.commune.longitude
    )  # fmt: skip
    assert list(initiative.themes.all()) == [themes["amap"]]
    assert ModerationEvent.for_object(initiative).get().action == "submitted"
    [link_mail] = [m for m in mail.outbox if m.to == ["lea@example.net"]]
    assert services.edit_url(initiative) in link_mail.body
    thanks = client.get("/initiatives/proposer/merci/").content.decode()
    assert "Ressourcerie de Chinon" in thanks and "Et maintenant ?" in thanks
    assert client.get(initiative.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_signed_in_proposer_owns_it_and_needs_no_email(
    client, themes, outsider, django_capture_on_commit_callbacks
):
    client.force_login(outsider)
    data = proposal(themes, latitude="47.1671", longitude="0.2420")
    del data["proposer_email"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/initiatives/proposer/", data)

    initiative = Initiative.objects.get()
    assert (initiative.owner, initiative.submitted_by) == (outsider, outsider)
    assert (initiative.latitude, initiative.geocoding) == (47.1671, GeocodingState.MANUAL)
    assert any(m.to == ["charlie@example.org"] for m in mail.outbox)


@pytest.mark.django_db
def test_errors_are_tied_to_their_fields(client, themes):
    data = proposal(themes, name="", commune_label="Nullepartville", themes=[])

    html = client.post("/initiatives/proposer/", data).content.decode()

    assert Initiative.objects.count() == 0
    assert re.search(r'id="id_name"[^>]*aria-invalid="true"', html) or re.search(
        r'aria-invalid="true"[^>]*id="id_name"', html
    )
    assert "Commune introuvable" in html and 'id="id_commune_label_error"' in html
    assert 'id="themes-erreur"' in html


@pytest.mark.django_db
def test_commune_resolution():
    assert resolve_commune(postal_code="", text="37000 — Tours").pk == "37261"
    assert resolve_commune(postal_code="", text="Tours (37)").pk == "37261"
    assert resolve_commune(postal_code="37500", text="chinon").pk == "37072"
    assert resolve_commune(postal_code="37000", text="").pk == "37261"
    with pytest.raises(ValidationError, match="Plusieurs communes"):
        resolve_commune(postal_code="", text="Villeneuve")
    with pytest.raises(ValidationError, match="introuvable"):
        resolve_commune(postal_code="37000", text="Orléans")


@pytest.mark.django_db
def test_proposer_sees_public_look_alikes_and_can_say_it_is_not_a_duplicate(client, themes):
    chinon = make_initiative("Ressourcerie Chinon", commune="37072")
    make_initiative("Ressourcerie de Chinon", Status.PENDING, commune="37072", slug="secret")

    first = client.post("/initiatives/proposer/", proposal(themes)).content.decode()

    assert "Est-ce l'une de celles-ci ?" in first
    assert f'href="{chinon.get_absolute_url()}"' in first and "/secret/" not in first
    assert Initiative.objects.count() == 2
    second = client.post("/initiatives/proposer/", proposal(themes, not_duplicate="on"))
    assert second.status_code == 302 and Initiative.objects.count() == 3


@pytest.mark.django_db
def test_robots_cannot_propose(client, themes):
    response = client.post("/initiatives/proposer/", proposal(themes, site_web_2="x"))

    assert response.status_code == 200 and Initiative.objects.count() == 0


# --- owner's edit --------------------------------------------------------------------------


def edit_data(initiative, **fields) -> dict:
    data = {
        "name": initiative.name, "summary": initiative.summary,
        "themes": [t.pk for t in initiative.themes.all()], "email": initiative.email,
        "commune_label": "Tours (37)", "latitude": initiative.latitude,
        "longitude": initiative.longitude,
    }  # fmt: skip
    return {**data, **fields}


@pytest.mark.django_db
def test_edit_link_updates_a_pending_initiative_directly(client, pending, themes):
    url = f"{pending.get_absolute_url()}modifier/?cle={services.link_key(pending)}"
    pending.themes.set([themes["food"]])

    response = client.post(url, edit_data(pending, name="Repair café de Joué-lès-Tours"))

    pending.refresh_from_db()
    assert "Modification enregistrée" in response.content.decode()
    assert pending.name == "Repair café de Joué-lès-Tours" and pending.status == Status.PENDING


@pytest.mark.django_db
def test_editing_a_published_one_creates_a_pending_version(client, published, themes):
    published.themes.set([themes["food"]])
    url = f"{published.get_absolute_url()}modifier/?cle={services.link_key(published)}"

    client.post(url, edit_data(published, summary="Nouveau résumé.", themes=[themes["energy"].pk]))

    published.refresh_from_db()
    assert published.summary == "Un jardin ouvert à tous, le samedi matin."
    version = PendingVersion.for_object(published).get()
    assert version.changes == {"summary": "Nouveau résumé.", "themes": [themes["energy"].pk]}


@pytest.mark.django_db
def test_signed_in_owner_edits_without_the_link(client, owner, published, themes):
    published.themes.set([themes["food"]])
    client.force_login(owner)

    response = client.get(f"{published.get_absolute_url()}modifier/")

    assert response.status_code == 200 and 'value="Jardin partagé des Prébendes"' in (
        response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_others_cannot_edit(client, request, who, published, pending):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    public_edit = client.post(f"{published.get_absolute_url()}modifier/?cle=forged",
                              edit_data(published, name="Piraté"))  # fmt: skip
    pending_edit = client.get(f"/initiatives/{pending.slug}/modifier/")

    assert public_edit.status_code == 403 and pending_edit.status_code == 404
    assert "Repair café" not in pending_edit.content.decode()
    published.refresh_from_db()
    assert published.name == "Jardin partagé des Prébendes"
    assert not PendingVersion.objects.exists()


@pytest.mark.django_db
def test_an_edit_key_does_not_open_another_initiative(client, published, pending):
    url = f"{published.get_absolute_url()}modifier/?cle={services.link_key(pending)}"

    assert client.get(url).status_code == 403


# --- yearly confirmation -------------------------------------------------------------------


@pytest.mark.django_db
def test_confirm_link_marks_the_initiative_up_to_date(client, published):
    key = services.link_key(published, purpose="confirm")
    url = f"{published.get_absolute_url()}confirmer/?cle={key}"

    assert "toujours à jour" in client.get(url).content.decode()
    client.post(url)

    published.refresh_from_db()
    assert published.last_confirmed_at is not None


@pytest.mark.django_db
def test_confirm_refuses_outsiders_and_edit_keys(client, outsider, published):
    client.force_login(outsider)
    edit_key = services.link_key(published)

    response = client.post(f"{published.get_absolute_url()}confirmer/?cle={edit_key}")

    published.refresh_from_db()
    assert response.status_code == 403 and published.last_confirmed_at is None


# --- images --------------------------------------------------------------------------------


def photo(name="jardin.jpg"):
    from tests.common.test_images import upload

    return upload(size=(2400, 1200), name=name)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}}  # fmt: skip
    return tmp_path


@pytest.mark.django_db
def test_proposal_with_image_stores_a_clean_copy_shown_with_its_alt(client, themes, media_root):
    data = proposal(themes, image=photo(), image_alt="Des bacs de légumes", image_credit="Léa")
    client.post("/initiatives/proposer/", data)

    initiative = Initiative.objects.get(name="Ressourcerie de Chinon")
    assert initiative.image.width == 1600 and initiative.image.name.endswith(".jpg")
    assert "jardin" not in initiative.image.name
    moderation.publish(obj=initiative, by=None)
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert f'<img src="{initiative.image.url}" alt="Des bacs de légumes"' in html
    assert "Image : Léa" in html and f'"image": "http://testserver{initiative.image.url}"' in html


@pytest.mark.django_db
def test_image_without_alt_text_is_refused_with_a_message(client, themes, media_root):
    response = client.post("/initiatives/proposer/", proposal(themes, image=photo()))
    assert "Décrivez l&#x27;image" in response.content.decode()
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_new_image_on_a_published_one_waits_in_the_pending_version(
    client, published, themes, media_root
):
    published.themes.set([themes["food"]])
    url = f"{published.get_absolute_url()}modifier/?cle={services.link_key(published)}"
    data = edit_data(published, image=photo("nouvelle.jpg"), image_alt="La serre")

    client.post(url, data)

    published.refresh_from_db()
    assert not published.image
    version = PendingVersion.for_object(published).get()
    assert version.changes["image_alt"] == "La serre"
    stored = version.changes["image"]
    assert stored.startswith("initiatives/") and (media_root / stored).exists()
    version.apply_to(published)
    published.refresh_from_db()
    assert published.image.name == stored and published.image.width == 1600
