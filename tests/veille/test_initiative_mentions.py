"""Items that staff confirmed speak of an initiative are listed on its page."""

import pytest

from essaim.veille.models import ItemMention
from tests.initiatives.conftest import make_initiative
from tests.veille import factories


def mention(initiative, *, state=ItemMention.State.ACCEPTED, public_source=True, title):
    item = factories.item(factories.source(is_public=public_source), title=title)
    return ItemMention.objects.create(item=item, initiative=initiative, state=state)


@pytest.mark.django_db
def test_accepted_mentions_of_public_items_appear_on_the_initiative_page(client):
    initiative = make_initiative(slug="jardin")
    mention(initiative, title="Le jardin des Prébendes s'agrandit")
    mention(initiative, title="Mention suggérée", state=ItemMention.State.SUGGESTED)
    mention(initiative, title="Mention rejetée", state=ItemMention.State.REJECTED)
    mention(initiative, title="Source privée", public_source=False)

    html = client.get("/initiatives/jardin/").content.decode()

    assert "Dans la veille" in html
    assert "Le jardin des Prébendes s&#x27;agrandit" in html
    for hidden in ("Mention suggérée", "Mention rejetée", "Source privée"):
        assert hidden not in html


@pytest.mark.django_db
def test_initiative_page_has_no_veille_section_without_accepted_mentions(client):
    initiative = make_initiative(slug="jardin")
    mention(initiative, title="En attente", state=ItemMention.State.SUGGESTED)

    html = client.get("/initiatives/jardin/").content.decode()

    assert "Dans la veille" not in html


@pytest.mark.django_db
def test_mentions_of_another_initiative_stay_on_its_page(client):
    mine = make_initiative(slug="jardin")
    other = make_initiative(name="Ressourcerie du Cher", slug="ressourcerie")
    mention(other, title="La ressourcerie ouvre un second site")

    html = client.get(mine.get_absolute_url()).content.decode()

    assert "ressourcerie ouvre" not in html
