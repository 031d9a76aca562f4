import pytest
from django.utils import timezone

from essaim.moderation.models import Status


@pytest.fixture
def themes(db):
    from essaim.taxonomy.services import load_themes

    load_themes()


@pytest.mark.django_db
def test_sitemap_index_links_one_file_per_section(client, themes):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in xml
    for section in ["pages", "regions", "departements", "communes", "themes", "initiatives"]:
        assert f"/sitemap-{section}.xml</loc>" in xml


@pytest.mark.django_db
def test_sections_list_statutory_territory_and_theme_pages(client, themes):
    assert "/accessibilite/</loc>" in client.get("/sitemap-pages.xml").content.decode()
    assert "/territoires/region-24/</loc>" in client.get("/sitemap-regions.xml").content.decode()
    assert "/territoires/37/</loc>" in client.get("/sitemap-departements.xml").content.decode()
    assert "/territoires/37261/</loc>" in client.get("/sitemap-communes.xml").content.decode()
    assert "/themes/" in client.get("/sitemap-themes.xml").content.decode()


@pytest.mark.django_db
def test_initiatives_section_lists_public_ones_with_their_date(client):
    from tests.initiatives.conftest import make_initiative

    make_initiative("Visible")
    make_initiative("Attente", status=Status.PENDING)
    xml = client.get("/sitemap-initiatives.xml").content.decode()
    assert "/initiatives/visible/</loc>" in xml and "attente" not in xml
    # the sitemap dates a change in the site's time zone (past 23:00 UTC, Paris is a day on)
    assert f"<lastmod>{timezone.localdate():%Y-%m-%d}</lastmod>" in xml


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


@pytest.mark.django_db
def test_human_site_map_links_every_section(client):
    html = client.get("/plan-du-site/").content.decode()
    assert "<h1>Plan du site</h1>" in html
    for url in ["/carte/", "/initiatives/", "/initiatives/proposer/", "/recherche/",
                "/donnees/initiatives.csv", "/accessibilite/"]:  # fmt: skip
        assert f'href="{url}"' in html
    assert 'href="/plan-du-site/"' in client.get("/").content.decode()
