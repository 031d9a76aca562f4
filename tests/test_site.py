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
