import json

from bs4 import BeautifulSoup

from essaim.publications.models import ArticleAuthor
from tests.publications.conftest import make_article, make_dossier


def jsonld(response) -> dict:
    soup = BeautifulSoup(response.content, "html.parser")
    return json.loads(soup.select_one('script[type="application/ld+json"]').string)


def test_an_article_carries_schema_org_article(client, currencies, member):
    article = make_article("Le Galais à Blois", themes=[currencies], territory="41018",
                           organisation_name="La Ruche")  # fmt: skip
    ArticleAuthor.objects.create(page=article, user=member)
    ArticleAuthor.objects.create(page=article, guest_name="Invitée Dupont")
    article.save_revision().publish()
    data = jsonld(client.get(article.url))
    assert data["@type"] == "Article"
    assert data["headline"] == "Le Galais à Blois"
    assert data["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert data["url"] == "http://testserver/articles/le-galais-a-blois/"
    assert [a["name"] for a in data["author"]] == ["Bob", "Invitée Dupont", "La Ruche"]
    assert data["about"] == [{"@type": "Thing", "name": "Monnaies locales"}]
    assert data["publisher"]["name"] == "Essaim"
    assert data["datePublished"] and data["dateModified"]


def test_an_article_shows_open_graph_and_its_licence(client, db):
    article = make_article("Un article")
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one('meta[property="og:title"]')["content"] == "Un article"
    assert soup.select_one('meta[property="og:type"]')["content"] == "article"
    licence = soup.select_one('.licence a[rel="license"]')
    assert licence["href"] == "https://creativecommons.org/licenses/by-sa/4.0/"


def test_hostile_text_cannot_close_the_json_ld_script(client, db):
    article = make_article("</script><script>alert(1)</script>")
    response = client.get(article.url)
    assert b"<script>alert(1)" not in response.content
    assert jsonld(response)["headline"] == "</script><script>alert(1)</script>"


def test_a_dossier_is_a_collection_page_listing_its_parts(client, currencies):
    article = make_article("Choisi")
    dossier = make_dossier("Monnaies", theme=currencies, items=[("page", article)])
    data = jsonld(client.get(dossier.url))
    assert "CollectionPage" in data["@type"]
    assert data["hasPart"] == [{"@type": "CreativeWork",
                                "url": "http://testserver/articles/choisi/"}]  # fmt: skip
    assert data["about"] == [{"@type": "Thing", "name": "Monnaies locales"}]
