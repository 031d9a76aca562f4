import json
import re

import pytest

from essaim.taxonomy.services import load_themes
from essaim.territories.models import Commune

pytestmark = pytest.mark.django_db


def jsonld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match[1])


def test_tours_page_names_the_commune_and_links_its_parents(client):
    response = client.get("/territoires/37261/")
    html = response.content.decode()
    assert "<h1>Commune de Tours</h1>" in html
    assert 'href="/territoires/243700754/">Tours Métropole Val de Loire</a>' in html
    assert 'href="/territoires/37/">Indre-et-Loire (37)</a>' in html
    assert 'href="/territoires/region-24/">Centre-Val de Loire</a>' in html
    assert "37000" in html and "Bientôt ici : initiatives, événements, publications…" in html
    assert "<title>Commune de Tours — " in html


def test_territory_page_embeds_schema_org_place_as_data(client):
    response = client.get("/territoires/37261/")
    data = jsonld(response.content.decode())
    assert (data["@type"], data["name"], data["identifier"]) == ("City", "Tours", "37261")
    assert data["containedInPlace"]["name"] == "Tours Métropole Val de Loire"
    assert data["geo"]["latitude"] == pytest.approx(47.39427)
    # The CSP stays strict: JSON-LD is a data block, which script-src does not govern.
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_region_page_lists_its_six_departements(client):
    html = client.get("/territoires/region-24/").content.decode()
    assert "<h1>Région Centre-Val de Loire</h1>" in html
    found = re.findall(r'href="/territoires/(\d\d)/"', html)
    assert found == ["18", "28", "36", "37", "41", "45"]


def test_departement_page_lists_epcis_and_communes_alphabetically(client):
    html = client.get("/territoires/37/").content.decode()
    assert "<h1>Département d&#x27;Indre-et-Loire (37)</h1>" in html
    communes = re.findall(r'href="/territoires/(37\d{3})/"', html)
    assert len(communes) == 272 and communes[0] == "37001"  # Abilly
    assert 'href="/territoires/243700754/"' in html


def test_epci_page_lists_its_communes(client):
    html = client.get("/territoires/243700754/").content.decode()
    assert "<h1>Tours Métropole Val de Loire</h1>" in html
    assert len(re.findall(r'href="/territoires/37\d{3}/"', html)) == 22


def test_unknown_territory_is_a_helpful_french_404(client):
    response = client.get("/territoires/99999/")
    assert response.status_code == 404
    assert "Aucun territoire n'a le code « 99999 »" in response.content.decode()


def test_a_sample_of_home_region_commune_pages_render(client):
    for commune in Commune.objects.filter(region_id="24").order_by("?")[:15]:
        html = client.get(commune.get_absolute_url()).content.decode()
        assert f"<h1>{commune.title}</h1>".replace("'", "&#x27;") in html


# An empty territory: the page, its figures and one query per module section; a full one
# is tested in test_sections.py (≤ 20, issue #9's budget).
@pytest.mark.parametrize(
    ("key", "max_queries"),
    [("37261", 16), ("243700754", 16), ("37", 16), ("region-24", 16), ("41", 16)],
)
def test_territory_page_queries_do_not_grow_with_children(
    client, django_assert_max_num_queries, key, max_queries
):
    with django_assert_max_num_queries(max_queries):
        assert client.get(f"/territoires/{key}/").status_code == 200


def test_theme_list_shows_the_tree_in_few_queries(client, django_assert_max_num_queries):
    load_themes()
    with django_assert_max_num_queries(3):
        html = client.get("/themes/").content.decode()
    assert html.count('class="theme-badge') == 39
    assert html.index("Alimentation et agriculture") < html.index("AMAP") < html.index("Énergie")


def test_theme_page_shows_sub_themes_and_json_ld(client):
    load_themes()
    html = client.get("/themes/alimentation-agriculture/").content.decode()
    assert "<h1>Alimentation et agriculture</h1>" in html
    assert 'href="/themes/amap/"' in html and "Bientôt ici" in html
    assert jsonld(html)["@type"] == "DefinedTerm"
    assert client.get("/themes/nope/").status_code == 404


def test_theme_colours_stylesheet_gives_each_theme_a_class(client):
    load_themes()
    css = client.get("/themes/couleurs.css").content.decode()
    assert ".theme-energie{--theme-bg:#8a4b00;--theme-fg:#ffffff}" in css


def test_a_territory_summary_can_be_embedded_anywhere(client):
    from tests.initiatives.conftest import make_initiative

    make_initiative("Jardin de Tours")  # published, in Tours
    page = client.get("/territoires/37/").content.decode()
    embed = client.get("/territoires/37/embed/")

    assert '&lt;iframe src="http://testserver/territoires/37/embed/"' in page
    assert "frame-ancestors 'self' *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    html = " ".join(embed.content.decode().split())
    assert "<strong>1</strong> initiatives publiées" in html
    assert 'href="http://testserver/territoires/37/" target="_blank"' in html
    assert client.get("/territoires/99999/embed/").status_code == 404
    # Every other page stays unframeable.
    assert "frame-ancestors 'self'" in client.get("/territoires/37/")["Content-Security-Policy"]
