import pytest


@pytest.mark.django_db
def test_home_page_is_french_and_links_to_statutory_pages(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert 'href="/accessibilite/"' in html
    assert 'href="/mentions-legales/"' in html


@pytest.mark.django_db
def test_public_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'self'" in csp
    assert response["Permissions-Policy"].startswith("geolocation=(self)")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_home_shows_latest_public_initiatives_only_in_bounded_queries(
    client, count, django_assert_max_num_queries
):
    from django.utils import timezone

    from essaim.initiatives.models import Initiative
    from essaim.moderation.models import Status

    for index in range(count):
        Initiative.objects.create(
            name=f"Épicerie solidaire n°{index}",
            slug=f"epicerie-{index}",
            summary="Des produits locaux à prix justes.",
            status=Status.PUBLISHED,
            published_at=timezone.now(),
            commune_id="37261",
        )
    Initiative.objects.create(
        name="Projet encore en attente", slug="attente", summary="…", status=Status.PENDING
    )
    with django_assert_max_num_queries(3):
        html = client.get("/").content.decode()
    assert html.count("Épicerie solidaire n°") == count
    assert "Projet encore en attente" not in html


@pytest.mark.django_db
def test_the_privacy_page_states_the_retention_periods_in_force(client, settings):
    settings.ESSAIM_REGISTRATION_RETENTION_DAYS = 45
    settings.ESSAIM_DIRECTORY_CONTACT_LOG_DAYS = 120
    settings.ESSAIM_IMPORT_FILE_DAYS = 9
    settings.ESSAIM_ADDRESS_HASH_DAYS = 21

    html = " ".join(client.get("/confidentialite/").content.decode().split())

    assert "effacées 45 jours après la date de l'événement" in html
    assert "gardé 120 jours" in html and "supprimés 9 jours après l'import" in html
    assert "à partir de 5 projets" in html
    assert "Elle est effacée 21 jours après l'envoi" in html
