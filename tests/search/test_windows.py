"""Each process compiles a search window once per shape and reuses it (``matching``);
what an anonymous visitor may see must still be decided on every search."""

from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from essaim.initiatives.models import Initiative
from essaim.search import matching, registry
from essaim.search.services import search
from tests.search.test_bulk_index import make


def names(query: str) -> list[str]:
    return [hit.title for hit in search(query).hits]


def test_an_initiative_hidden_after_a_search_leaves_the_next_one(db):
    make("Ressourcerie du Cher")
    kept = make("Ressourcerie de Bourges")
    assert sorted(names("ressourcerie")) == ["Ressourcerie de Bourges", "Ressourcerie du Cher"]

    Initiative.objects.filter(pk=kept.pk).update(is_hidden=True)

    assert names("ressourcerie") == ["Ressourcerie du Cher"]
    initiative_type = next(t for t in registry.searchable_types() if t.model is Initiative)
    kept_types = {key[1] for key in matching._templates}
    assert initiative_type.content_type_id in kept_types, "the window is kept compiled"


def test_a_page_made_private_after_a_search_leaves_the_next_one(make_page):
    make_page("École des transitions")
    private = make_page("École de musique")
    assert len(names("ecole")) == 2

    PageViewRestriction.objects.create(page=private, restriction_type="login")

    assert names("ecole") == ["École des transitions"]


def test_a_restriction_lifted_after_a_search_shows_the_page_again(make_page):
    make_page("École des transitions")
    private = make_page("École de musique")
    restriction = PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert names("ecole") == ["École des transitions"]

    restriction.delete()

    assert len(names("ecole")) == 2


def test_pages_outside_restricted_sections_are_wagtails_public_pages(make_page):
    open_section, closed_section = make_page("Ouverte"), make_page("Fermée")
    inner_closed = open_section.add_child(instance=Page(title="Fermée dedans"))
    for parent in (open_section, closed_section, inner_closed):
        parent.add_child(instance=Page(title=f"Sous {parent.title}"))
    make_page("Brouillon", live=False)
    for page in (closed_section, inner_closed):
        PageViewRestriction.objects.create(page=page, restriction_type="login")

    ours = registry.Visibility().pages
    wagtails = Page.objects.live().public().exclude(depth=1)

    mine = ours.filter(title__in=["Ouverte", "Fermée", "Fermée dedans", "Brouillon"])
    assert sorted(mine.values_list("title", flat=True)) == ["Ouverte"]
    assert not ours.filter(title__startswith="Sous Fermée").exists()
    assert set(ours) == set(wagtails)


def test_a_visibility_with_a_date_is_compiled_on_every_search(db, monkeypatch):
    # A date compiled into a kept window would stay: "published before now" would freeze.
    initiative_type = next(t for t in registry.searchable_types() if t.model is Initiative)

    def published_before_now(search_type):
        return Initiative.objects.public().filter(published_at__lte=timezone.now())

    monkeypatch.setattr(type(initiative_type), "visible", published_before_now)
    make("Ressourcerie du Cher", published_at=timezone.now())

    assert names("ressourcerie") == ["Ressourcerie du Cher"]
    kept_types = {key[1] for key in matching._templates}
    assert initiative_type.content_type_id not in kept_types


def test_the_same_shape_with_other_words_finds_other_entries(db):
    make("Ressourcerie du Cher")
    make("Jardin de Bourges")

    assert names("ressourcerie") == ["Ressourcerie du Cher"]
    assert names("jardin") == ["Jardin de Bourges"]
    assert names("jardin ressourcerie") == []
    assert names("bourges jardin") == ["Jardin de Bourges"]
