import pytest
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction
from wagtail.search.models import IndexEntry

from essaim.search import services
from essaim.search.services import search


def titles(results):
    return [hit.title for hit in results.hits]


def test_unaccented_query_finds_accented_title(make_page):
    make_page("École des transitions")
    make_page("Marché de producteurs")

    assert titles(search("ecole")) == ["École des transitions"]


def test_economie_finds_economie_solidaire(make_page):
    make_page("Économie solidaire")

    assert titles(search("economie")) == ["Économie solidaire"]


def test_solidaires_finds_solidarite(make_page):
    make_page("La solidarité en actes")

    assert titles(search("solidaires")) == ["La solidarité en actes"]


def test_every_word_must_match(make_page):
    make_page("École des transitions")
    make_page("École de musique")

    assert titles(search("école transition")) == ["École des transitions"]


def test_a_hit_carries_its_type_url_and_summary(make_page):
    make_page(
        "Économie solidaire", slug="economie-solidaire", search_description="Le réseau de l'ESS."
    )

    (hit,) = search("economie").hits

    assert (hit.type.key, str(hit.type.label)) == ("wagtailcore.page", "Pages")
    assert hit.url == "/economie-solidaire/"
    assert hit.summary == "Le réseau de l'ESS."


def test_draft_page_is_never_found_even_when_indexed(make_page):
    page = make_page("École brouillon", live=False)

    assert page.index_entries.exists()
    assert search("ecole").total == 0


def test_unpublished_page_disappears_though_still_indexed(make_page):
    page = make_page("École des transitions")
    assert search("ecole").total == 1

    page.unpublish()

    assert page.index_entries.exists()
    assert (search("ecole").total, search("ecole").counts) == (0, [])


def test_private_page_is_never_found(make_page):
    page = make_page("École réservée")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    child = page.add_child(instance=Page(title="École réservée, annexe"))
    call_command("update_index", verbosity=0)

    assert child.index_entries.exists()
    assert search("ecole").total == 0


def test_indexed_models_without_public_surface_are_not_searched(
    make_page, django_capture_on_commit_callbacks
):
    from wagtail.documents.models import Document

    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.create(title="École interne")

    assert search("ecole").total == 0


def test_counts_per_type_and_type_filter(make_page):
    make_page("École des transitions")
    make_page("École de la coopération")

    everything = search("ecole")
    pages_only = search("ecole", types=["wagtailcore.page"])
    unknown = search("ecole", types=["nothing.here"])

    assert [(c.type.key, c.count, c.is_capped) for c in everything.counts] == [
        ("wagtailcore.page", 2, False)
    ]
    assert (everything.total, pages_only.total) == (2, 2)
    assert (unknown.total, unknown.hits, unknown.counts_total) == (0, [], 2)


def test_pages_are_bounded_and_ordered(make_page):
    for title in ["École une", "École deux", "École trois"]:
        make_page(title)

    first = search("ecole", per_page=2)
    second = search("ecole", per_page=2, page=2)
    beyond = search("ecole", per_page=2, page=99)

    assert (len(first.hits), first.has_next, first.has_previous) == (2, True, False)
    assert (len(second.hits), second.has_next, second.start_index) == (1, False, 3)
    assert sorted(titles(first) + titles(second)) == ["École deux", "École trois", "École une"]
    assert (beyond.page, titles(beyond)) == (2, titles(second))


def test_per_page_is_capped(db):
    assert search("ecole", per_page=10_000).per_page == 100


@pytest.mark.parametrize("query", ["", "   ", "de la", "?!"])
def test_query_without_search_terms_finds_nothing(make_page, query):
    make_page("De la terre à l'assiette")

    assert (search(query).total, search(query).hits) == (0, [])


def test_update_index_rebuilds_what_search_needs(make_page):
    make_page("École des transitions")
    IndexEntry.objects.all().delete()
    assert search("ecole").total == 0

    call_command("update_index", verbosity=0)

    assert titles(search("ecole")) == ["École des transitions"]


def test_wagtail_admin_search_stays_french_aware(make_page):
    make_page("École des transitions")

    assert [p.title for p in Page.objects.search("ECOLES")] == ["École des transitions"]
    assert [p.title for p in Page.objects.autocomplete("écol")] == ["École des transitions"]


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr(services, "RESULTS_CAP", 3)


def test_counts_stop_at_the_cap(make_page, cap_of_three):
    for number in range(5):
        make_page(f"École numéro {number}")

    results = search("ecole", per_page=2)

    assert [(c.count, c.is_capped) for c in results.counts] == [(3, True)]
    assert (results.total, results.total_is_capped) == (3, True)
    assert results.counts_total_is_capped
    assert (results.num_pages, results.cap) == (2, 3)


def test_a_result_set_within_the_cap_is_counted_exactly(make_page, cap_of_three):
    for number in range(3):
        make_page(f"École numéro {number}")

    results = search("ecole")

    assert [(c.count, c.is_capped) for c in results.counts] == [(3, False)]
    assert (results.total, results.total_is_capped, len(results.hits)) == (3, False, 3)


def test_a_type_under_the_cap_stays_exact_beside_a_capped_one(
    make_page, cap_of_three, django_capture_on_commit_callbacks
):
    from essaim.taxonomy.models import Theme

    for number in range(5):
        make_page(f"Jardin numéro {number}")
    with django_capture_on_commit_callbacks(execute=True):
        Theme.objects.create(name="Jardins partagés", slug="jardins")

    results = search("jardin")
    themes_only = search("jardin", types=["taxonomy.theme"])

    assert [(c.type.key, c.count, c.is_capped) for c in results.counts] == [
        ("wagtailcore.page", 3, True),
        ("taxonomy.theme", 1, False),
    ]
    assert (results.total, results.total_is_capped) == (4, True)
    assert (themes_only.total, themes_only.total_is_capped) == (1, False)
    assert titles(themes_only) == ["Jardins partagés"]


def repetitions(results) -> list[int]:
    return [hit.title.lower().split().count("jardin") for hit in results.hits]


def test_the_most_relevant_match_comes_first_for_a_common_word(make_page):
    make_page("Jardin des plantes")
    make_page("Jardin jardin jardin")
    make_page("Jardin de ville")

    assert repetitions(search("jardin")) == [3, 1, 1]


def test_every_occurrence_of_a_word_counts(make_page):
    # Two in a row as well (SQLite counts them in the analysed text, PostgreSQL's ts_rank
    # from the vector's positions).
    make_page("Jardin")
    make_page("Jardin jardin jardin")
    make_page("Jardin jardin")

    assert repetitions(search("jardin")) == [3, 2, 1]


def test_past_the_cap_matches_are_ranked_within_the_window_and_pages_follow(
    make_page, cap_of_three
):
    for number in (1, 3, 2, 4):
        make_page(" ".join(["Jardin"] * number))

    first, second = search("jardin", per_page=2), search("jardin", per_page=2, page=2)
    again = search("jardin", per_page=2, page=2)
    ranked = repetitions(first) + repetitions(second)

    assert (first.num_pages, len(ranked), len(set(ranked))) == (2, 3, 3)
    assert ranked == sorted(ranked, reverse=True)
    assert titles(again) == titles(second)


def test_private_and_draft_pages_do_not_take_places_in_the_window(make_page, cap_of_three):
    make_page("École brouillon une", live=False)
    make_page("École brouillon deux", live=False)
    private = make_page("École réservée")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_page("École brouillon trois", live=False)
    make_page("École publique")

    results = search("ecole")

    assert titles(results) == ["École publique"]
    assert [(c.count, c.is_capped) for c in results.counts] == [(1, False)]
