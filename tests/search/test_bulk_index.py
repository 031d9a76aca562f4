"""The search bench writes a million index rows in bulk (``bench/search_index.py``); they
must stay the rows the project's own indexing path writes, on both databases."""

from wagtail.search.models import IndexEntry

from bench import search_index
from essaim.initiatives.models import Initiative
from essaim.moderation.models import Status
from essaim.search.services import search
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune


def make(name, *, commune="37261", themes=(), **fields) -> Initiative:
    initiative = Initiative.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        status=Status.PUBLISHED,
        commune=Commune.objects.get(pk=commune) if commune else None,
        **fields,
    )
    initiative.themes.set(themes)
    return initiative


def test_bulk_rows_equal_the_project_rows(db):
    food = Theme.objects.create(name="Alimentation", slug="alimentation", position=2)
    garden = Theme.objects.create(name="Jardins partagés", slug="jardins", position=1)
    initiatives = [
        make("Jardin partagé des Prébendes", themes=[food, garden], summary="Ouvert à tous."),
        make("Épicerie solidaire", commune=None, description="L'économie de la solidarité."),
        make("Repair café", organisation_name="Association Répar'Tout", themes=[food]),
    ]

    assert search_index.differences([i.pk for i in initiatives]) == []


def test_bulk_indexed_initiatives_are_found(db):
    make("Ressourcerie du Cher", summary="Réemploi et réparation.")
    hidden = make("Ressourcerie masquée")
    Initiative.objects.filter(pk=hidden.pk).update(is_hidden=True)
    IndexEntry.objects.all().delete()  # as after the bench's raw inserts

    assert search_index.index_initiatives() == 2
    assert [hit.title for hit in search("ressourceries").hits] == ["Ressourcerie du Cher"]
