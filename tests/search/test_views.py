import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from essaim.search import services

URL = reverse("search:results")


def html(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def result_titles(page: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]*">([^<]*)</a></h3>', page)


def test_empty_query_shows_the_accessible_form_only(db, client):
    page = html(client)

    assert '<label for="search-q">' in page
    assert 'id="search-q" name="q" type="search"' in page
    assert "résultat" not in page


def test_results_show_title_type_summary_and_link(client, make_page):
    make_page("École des transitions", slug="ecole", search_description="Un lieu pour apprendre.")

    page = html(client, q="ecole")

    assert "1 résultat pour « ecole »" in page
    assert '<h3><a href="/ecole/">École des transitions</a></h3>' in page
    assert '<span class="badge">Pages</span>' in page
    assert "Un lieu pour apprendre." in page


def test_private_and_draft_pages_are_not_listed(client, make_page):
    from wagtail.models import PageViewRestriction

    make_page("École publique")
    make_page("École brouillon", live=False)
    private = make_page("École privée")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

    assert result_titles(html(client, q="ecole")) == ["École publique"]


def test_type_links_carry_counts_and_filter(client, make_page):
    make_page("École des transitions")
    make_page("École de la coopération")

    everything = html(client, q="ecole")
    filtered = html(client, q="ecole", type="wagtailcore.page")

    assert '<a href="?q=ecole&amp;type=wagtailcore.page">Pages</a> (2)' in everything
    assert '<a href="?q=ecole" aria-current="page">Tous les contenus</a> (2)' in everything
    assert 'aria-current="page">Pages</a> (2)' in filtered
    assert '<input type="hidden" name="type" value="wagtailcore.page">' in filtered


def test_pagination_links_next_and_previous(client, make_page, settings):
    for number in range(21):
        make_page(f"École numéro {number}")

    first = html(client, q="ecole")
    second = html(client, q="ecole", page="2")

    assert len(result_titles(first)) == 20
    assert '<link rel="next" href="?q=ecole&amp;page=2">' in first
    assert '<a rel="next" href="?q=ecole&amp;page=2">' in first
    assert 'rel="prev"' not in first
    assert len(result_titles(second)) == 1
    assert '<link rel="prev" href="?q=ecole&amp;page=1">' in second
    assert 'rel="next"' not in second


def test_page_number_that_is_not_a_number_shows_the_first_page(client, make_page):
    make_page("École des transitions")

    assert result_titles(html(client, q="ecole", page="deux")) == ["École des transitions"]


def test_no_result_message_offers_suggestions(db, client):
    page = html(client, q="introuvable")

    assert "Aucun résultat." in page
    assert "Vérifiez l'orthographe des mots." in page


def test_html_in_the_query_is_escaped(db, client):
    page = html(client, q='<script>alert("x")</script>')

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize("extra", [0, 2])
def test_query_count_does_not_grow_with_results(
    client, make_page, extra, django_assert_num_queries
):
    for number in range(1 + extra):
        make_page(f"École numéro {number}")
    html(client, q="ecole")  # content types are looked up once per process
    cache.clear()  # Wagtail caches the site root paths; start cold every time
    # view restrictions, the types in the index, every such type's window of entries
    # (PostgreSQL first sets the scan order for that transaction), the page's pages,
    # site roots
    expected = 5 + (connection.vendor == "postgresql")

    with django_assert_num_queries(expected):
        page = html(client, q="ecole")

    assert len(result_titles(page)) == 1 + extra


def test_past_the_cap_the_page_says_more_than_and_pages_only_the_window(
    client, make_page, monkeypatch
):
    monkeypatch.setattr(services, "RESULTS_CAP", 2)
    for number in range(4):
        make_page(f"École numéro {number}")

    page = html(client, q="ecole")

    assert "Plus de 2 résultats pour « ecole »" in page
    assert '<a href="?q=ecole" aria-current="page">Tous les contenus</a> (plus de 2)' in page
    assert '<a href="?q=ecole&amp;type=wagtailcore.page">Pages</a> (plus de 2)' in page
    assert "Seuls les 2 premiers résultats trouvés de chaque type sont classés" in page
    assert len(result_titles(page)) == 2
    assert 'rel="next"' not in page


def test_the_cap_is_written_the_french_way(rf):
    from essaim.search.services import SearchResults

    results = SearchResults(query="jardin", total=1000, total_is_capped=True, cap=1000)

    request = rf.get(URL, {"q": "jardin"})

    page = render_to_string("search/results.html", {"query": "jardin", "results": results}, request)

    assert "Plus de 1\xa0000 résultats pour « jardin »" in page
    assert "Seuls les 1\xa0000 premiers résultats" in page


def test_counts_past_a_thousand_are_grouped(rf):
    from essaim.search.services import SearchResults

    results = SearchResults(query="jardin", total=1234)

    request = rf.get(URL, {"q": "jardin"})

    page = render_to_string("search/results.html", {"query": "jardin", "results": results}, request)

    assert "1\xa0234 résultats pour « jardin »" in page
