import pytest


@pytest.mark.django_db
def test_sitemap_lists_statutory_territory_and_theme_pages(client):
    from essaim.taxonomy.services import load_themes

    load_themes()
    xml = client.get("/sitemap.xml").content.decode()
    assert "/accessibilite/</loc>" in xml
    assert "/territoires/region-24/</loc>" in xml
    assert "/territoires/37/</loc>" in xml
    assert "/territoires/37261/</loc>" in xml
    assert "/themes/" in xml
