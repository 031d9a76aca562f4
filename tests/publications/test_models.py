from essaim.publications.models import ArticleIndexPage, DossierIndexPage, reading_minutes
from tests.publications.conftest import make_article


def test_the_migration_serves_articles_and_dossiers_from_the_page_tree(client, db):
    assert ArticleIndexPage.objects.get().url == "/articles/"
    assert DossierIndexPage.objects.get().url == "/dossiers/"
    assert client.get("/articles/").status_code == 200
    assert client.get("/dossiers/").status_code == 200


def test_reading_time_counts_two_hundred_words_a_minute(db):
    words = " ".join(["mot"] * 650)
    article = make_article("Long", body=words)
    assert article.reading_minutes == 4
    assert reading_minutes("") == 1


def test_a_commune_article_knows_its_enclosing_territories(db):
    article = make_article("À Tours", territory="37261")
    assert (article.territory_commune, article.territory_departement, article.territory_region) \
        == ("37261", "37", "24")  # fmt: skip
    assert article.territory_label.startswith("Tours")


def test_articles_only_live_under_the_articles_index(db):
    from essaim.publications.models import ArticlePage

    assert ArticlePage.parent_page_types == ["publications.ArticleIndexPage"]
    assert ArticleIndexPage.subpage_types == ["publications.ArticlePage"]


def test_the_demo_loads_twice_without_duplicates(db):
    import io

    from essaim.publications.demo import load_demo
    from essaim.publications.models import ArticlePage, DossierPage

    load_demo(io.StringIO())
    load_demo(io.StringIO())
    assert ArticlePage.objects.live().count() == 20
    assert DossierPage.objects.live().count() == 4
    assert all(article.listing_image.description for article in ArticlePage.objects.all())
