import pytest
from bs4 import BeautifulSoup

from essaim.publications import listing
from tests.publications.conftest import make_article


def titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in soup.select(".article-list h3")]


def test_the_list_filters_by_theme(client, currencies, third_places):
    make_article("Le Galais à Blois", themes=[currencies])
    make_article("Un tiers-lieu à Bourges", themes=[third_places])
    response = client.get("/articles/", {"theme": currencies.slug})
    assert titles(response) == ["Le Galais à Blois"]


def test_the_list_filters_by_territory_at_any_level(client, db):
    make_article("Tours", territory="37261")
    make_article("Orléans", territory="45234")
    make_article("Toute la région", territory="region-24")
    assert titles(client.get("/articles/", {"territoire": "37"})) == ["Tours"]
    in_region = titles(client.get("/articles/", {"territoire": "region-24"}))
    assert sorted(in_region) == sorted(["Orléans", "Toute la région", "Tours"])


def test_an_unknown_territory_is_named_in_the_page(client, db):
    response = client.get("/articles/", {"territoire": "99999"})
    assert "Territoire inconnu : 99999." in response.content.decode()


def test_the_list_is_paginated_with_rel_next(client, db):
    for number in range(listing.PER_PAGE + 1):
        make_article(f"Article {number}")
    soup = BeautifulSoup(client.get("/articles/").content, "html.parser")
    assert soup.select_one('link[rel="next"]')["href"] == "?page=2"
    assert len(soup.select(".article-list > li")) == listing.PER_PAGE
    second = BeautifulSoup(client.get("/articles/?page=2").content, "html.parser")
    assert len(second.select(".article-list > li")) == 1


def test_drafts_are_absent_from_the_list(client, db):
    make_article("Publié")
    make_article("Brouillon", live=False)
    assert titles(client.get("/articles/")) == ["Publié"]


@pytest.mark.parametrize("count", [5, 50])
def test_list_queries_do_not_grow_with_articles(client, django_assert_max_num_queries, count,
                                                currencies, member):  # fmt: skip
    from essaim.publications.models import ArticleAuthor

    for number in range(count):
        article = make_article(f"Article {number}", themes=[currencies])
        ArticleAuthor.objects.create(page=article, user=member)
    client.get("/articles/")  # warm Wagtail's site-root cache
    with django_assert_max_num_queries(16):
        response = client.get("/articles/")
    assert len(titles(response)) == min(count, listing.PER_PAGE)
    assert "Bob" in response.content.decode()
