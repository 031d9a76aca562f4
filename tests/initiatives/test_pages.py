import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from essaim.moderation.models import Status
from tests.initiatives.conftest import SECRET_EMAIL, form_data, make_initiative

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def names_listed(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h3><a href="/initiatives/[^"]+/">([^<]+)</a></h3>', html)


# --- list --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_public_initiatives_only(client):
    make_initiative("Visible")
    make_initiative("En attente secrète", Status.PENDING)
    make_initiative("Refusée secrète", Status.REJECTED)
    make_initiative("Masquée secrète", is_hidden=True)

    response = client.get("/initiatives/")

    assert names_listed(response) == ["Visible"]
    assert "secrète" not in response.content.decode()


@pytest.mark.django_db
def test_theme_filter_includes_sub_themes(client, themes):
    make_initiative("AMAP de Tours", themes=[themes["amap"]])
    make_initiative("Marché paysan", themes=[themes["food"]])
    make_initiative("Centrale solaire", themes=[themes["energy"]])

    assert names_listed(client.get("/initiatives/?theme=alimentation")) == [
        "AMAP de Tours", "Marché paysan"
    ]  # fmt: skip
    assert names_listed(client.get("/initiatives/?theme=amap")) == ["AMAP de Tours"]


@pytest.mark.django_db
def test_territory_filter_takes_any_territory_key(client):
    make_initiative("À Tours", commune="37261")
    make_initiative("À Orléans", commune="45234")

    assert names_listed(client.get("/initiatives/?territoire=37")) == ["À Tours"]
    assert names_listed(client.get("/initiatives/?territoire=45234")) == ["À Orléans"]
    in_region = client.get("/initiatives/?territoire=region-24")
    assert names_listed(in_region) == ["À Orléans", "À Tours"]
    unknown = client.get("/initiatives/?territoire=99999")
    assert names_listed(unknown) == [] and "Territoire inconnu" in unknown.content.decode()


@pytest.mark.django_db
def test_text_filter_searches_name_and_summary(client):
    make_initiative("Recyclerie du Cher", summary="Objets de seconde main.")
    make_initiative("Le Grenier", summary="Une ressourcerie de quartier.")
    make_initiative("AMAP")

    assert names_listed(client.get("/initiatives/?q=cycl")) == ["Recyclerie du Cher"]
    assert names_listed(client.get("/initiatives/?q=ressourcerie")) == ["Le Grenier"]


@pytest.mark.django_db
def test_list_paginates_with_rel_next_and_prev_keeping_filters(client):
    for number in range(25):
        make_initiative(f"Initiative {number:02d}")

    first = client.get("/initiatives/?q=Initiative").content.decode()
    second = client.get("/initiatives/?q=Initiative&page=2").content.decode()

    assert '<link rel="next" href="?q=Initiative&amp;page=2">' in first
    assert 'rel="prev"' not in first
    assert '<link rel="prev" href="?q=Initiative&amp;page=1">' in second
    assert "Initiative 24" in second and "Initiative 24" not in first


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_items(client, themes):
    def count_for(number: int) -> int:
        for index in range(number):
            make_initiative(f"Init {number}-{index}", themes=[themes["amap"], themes["energy"]])
        with CaptureQueriesContext(connection) as queries:
            assert len(names_listed(client.get("/initiatives/?theme=alimentation"))) == number
        from essaim.initiatives.models import Initiative

        Initiative.objects.all().delete()
        return len(queries)

    assert count_for(1) == count_for(3)


# --- detail ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "hidden"),
    [(Status.PENDING, False), (Status.REJECTED, False), (Status.ARCHIVED, False),
     (Status.DRAFT, False), (Status.PUBLISHED, True)],
)  # fmt: skip
def test_detail_is_404_unless_public(client, status, hidden):
    make_initiative("Fiche non publique", status, is_hidden=hidden, slug="fiche")

    response = client.get("/initiatives/fiche/")

    assert response.status_code == 404
    assert "Fiche non publique" not in response.content.decode()


@pytest.mark.django_db
def test_detail_shows_the_initiative(client, themes):
    make_initiative(
        "Ressourcerie du Cher", slug="ressourcerie", themes=[themes["amap"]],
        description="Premier paragraphe.\n\nSecond paragraphe.", address="3 rue Nationale",
        postal_code="37000", website="https://ressourcerie.example.org/",
        social_links=["https://mastodon.example/@ressourcerie"], legal_form="scic",
        siret="12345678900011", rna="W372000001", opening_hours="Mo-Fr 09:00-18:00; PH off",
    )  # fmt: skip

    html = client.get("/initiatives/ressourcerie/").content.decode()

    assert "<h1>Ressourcerie du Cher</h1>" in html
    assert "<p>Premier paragraphe.</p>" in html and "<p>Second paragraphe.</p>" in html
    assert 'class="theme-badge theme-amap" href="/themes/amap/"' in html
    assert '<a href="/territoires/37261/">Tours</a>' in html
    assert "<li>Du lundi au vendredi : 9 h – 18 h</li><li>Jours fériés : fermé</li>" in html
    assert 'href="https://mastodon.example/@ressourcerie"' in html
    assert "Société coopérative d&#x27;intérêt collectif (SCIC)" in html
    assert "12345678900011" in html and "W372000001" in html
    assert "ODbL 1.0" in html and "Contribution au site" in html
    assert '<meta property="og:title" content="Ressourcerie du Cher">' in html
    assert re.search(r'href="/signaler/initiatives\.initiative/\d+/">Signaler', html)


@pytest.mark.django_db
def test_unknown_opening_hours_syntax_is_shown_as_written(client):
    make_initiative("Marché", slug="marche", opening_hours="Jan-Mar Sa 08:00-12:00")

    html = client.get("/initiatives/marche/").content.decode()

    assert '<p class="opening-hours-raw">Jan-Mar Sa 08:00-12:00</p>' in html


@pytest.mark.django_db
def test_private_email_never_appears_and_a_contact_form_is_offered(client, published):
    html = client.get(published.get_absolute_url()).content.decode()

    assert SECRET_EMAIL not in html and "secret-contact" not in html
    assert f'action="/initiatives/{published.slug}/contact/"' in html
    assert '<div class="honeypot">' in html


@pytest.mark.django_db
def test_public_email_is_shown_without_contact_form(client):
    make_initiative("Atelier", slug="atelier", email="bonjour@atelier.example.org",
                    email_public=True)  # fmt: skip

    html = client.get("/initiatives/atelier/").content.decode()

    assert 'href="mailto:bonjour@atelier.example.org"' in html
    assert "/contact/" not in html


@pytest.mark.django_db
def test_json_ld_parses_with_the_required_fields_and_escapes_script_end(client):
    make_initiative("Café </script><script>alert(1)</script>", slug="cafe",
                    address="3 rue Nationale", postal_code="37000",
                    opening_hours="Mo-Fr 09:00-12:00,14:00-18:00", email=SECRET_EMAIL)  # fmt: skip

    html = client.get("/initiatives/cafe/").content.decode()
    [raw] = JSONLD.findall(html)
    data = json.loads(raw)

    assert "</script><script>" not in raw
    assert data["@type"] == "LocalBusiness"
    assert data["@id"] == "http://testserver/initiatives/cafe/#initiative"
    assert data["name"] == "Café </script><script>alert(1)</script>"
    assert data["address"] == {
        "@type": "PostalAddress", "addressCountry": "FR", "streetAddress": "3 rue Nationale",
        "postalCode": "37000", "addressLocality": "Tours", "addressRegion": "Centre-Val de Loire",
    }  # fmt: skip
    assert data["geo"]["@type"] == "GeoCoordinates"
    assert data["url"] == "http://testserver/initiatives/cafe/"
    assert data["openingHours"] == ["Mo-Fr 09:00-12:00", "Mo-Fr 14:00-18:00"]
    assert SECRET_EMAIL not in raw


@pytest.mark.django_db
def test_detail_query_count_is_bounded(client, themes, django_assert_max_num_queries):
    make_initiative("Fiche", slug="fiche", themes=[themes["amap"], themes["energy"]])

    # Six for the page, then the related sections other modules register: the veille's
    # mentions (one) and the experiences (two: Wagtail's view restrictions, the sheets).
    with django_assert_max_num_queries(9):
        client.get("/initiatives/fiche/")


# --- contact -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_contact_form_relays_the_message_without_revealing_the_address(client, published):
    response = client.post(
        f"/initiatives/{published.slug}/contact/",
        form_data(name="Zoé", email="zoe@example.net", message="Ouvrez-vous en août ?"),
    )

    html = response.content.decode()
    assert "Message envoyé" in html and SECRET_EMAIL not in html
    [message] = mail.outbox
    assert message.to == [SECRET_EMAIL] and message.reply_to == ["zoe@example.net"]
    assert "Ouvrez-vous en août ?" in message.body


@pytest.mark.django_db
def test_contact_form_refuses_robots_and_keeps_the_address_hidden(client, published):
    response = client.post(
        f"/initiatives/{published.slug}/contact/",
        form_data(name="Bot", email="bot@example.net", message="Buy", site_web_2="http://spam"),
    )

    assert response.status_code == 400 and mail.outbox == []
    assert SECRET_EMAIL not in response.content.decode()


@pytest.mark.django_db
def test_contact_form_is_rate_limited(client, published, settings):
    settings.ESSAIM_ANTISPAM_RATE_LIMIT = 2
    data = form_data(name="Zoé", email="zoe@example.net", message="Bonjour")
    statuses = [client.post(f"/initiatives/{published.slug}/contact/", data).status_code
                for _ in range(3)]  # fmt: skip

    assert statuses == [200, 200, 400] and len(mail.outbox) == 2


@pytest.mark.django_db
def test_contact_is_404_for_pending_initiatives_and_public_addresses(client, pending):
    public = make_initiative("Public", slug="public", email="a@b.example", email_public=True)
    data = form_data(name="Zoé", email="zoe@example.net", message="Bonjour")

    assert client.post(f"/initiatives/{pending.slug}/contact/", data).status_code == 404
    assert client.post(f"/initiatives/{public.slug}/contact/", data).status_code == 404
    assert mail.outbox == []
