import feedparser

from tests.publications.conftest import make_article, make_dossier


def test_the_rss_feed_is_valid_and_lists_live_articles_only(client, currencies):
    make_article("Le Galais à Blois", themes=[currencies])
    make_article("En relecture", live=False)
    feed = feedparser.parse(client.get("/articles.rss").content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert [entry.title for entry in feed.entries] == ["Le Galais à Blois"]
    assert feed.entries[0].link == "http://testserver/articles/le-galais-a-blois/"
    assert [tag.term for tag in feed.entries[0].tags] == ["Monnaies locales"]


def test_the_atom_feed_is_valid(client, db):
    make_article("Un article")
    feed = feedparser.parse(client.get("/articles.atom").content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["Un article"]


def test_the_feed_takes_the_list_filters(client, currencies, third_places):
    make_article("Monnaie", themes=[currencies], territory="41018")
    make_article("Tiers-lieu", themes=[third_places], territory="18033")
    by_theme = feedparser.parse(client.get(f"/articles.rss?theme={currencies.slug}").content)
    assert [entry.title for entry in by_theme.entries] == ["Monnaie"]
    by_place = feedparser.parse(client.get("/articles.rss?territoire=18").content)
    assert [entry.title for entry in by_place.entries] == ["Tiers-lieu"]


def test_an_unknown_theme_is_a_404_not_the_whole_feed(client, db):
    assert client.get("/articles.rss?theme=inconnu").status_code == 404


def test_a_dossier_has_its_own_feed_of_chosen_and_theme_articles(client, currencies):
    chosen = make_article("Choisi")
    make_article("Du thème", themes=[currencies])
    make_article("Ailleurs")
    make_dossier("Monnaies locales", theme=currencies, items=[("page", chosen)])
    feed = feedparser.parse(client.get("/dossiers/monnaies-locales.rss").content)
    assert not feed.bozo
    assert sorted(entry.title for entry in feed.entries) == ["Choisi", "Du thème"]


def test_an_unpublished_dossier_has_no_feed(client, db):
    make_dossier("Brouillon", live=False)
    assert client.get("/dossiers/brouillon.rss").status_code == 404


def test_feed_queries_do_not_grow_with_articles(client, django_assert_max_num_queries,
                                                currencies):  # fmt: skip
    for number in range(3):
        make_article(f"Article {number}", themes=[currencies])
    client.get("/articles.rss")
    with django_assert_max_num_queries(8):
        small = client.get("/articles.rss")
    for number in range(3, 20):
        make_article(f"Article {number}", themes=[currencies])
    with django_assert_max_num_queries(8):
        large = client.get("/articles.rss")
    assert len(feedparser.parse(large.content).entries) == 20
    assert len(feedparser.parse(small.content).entries) == 3
