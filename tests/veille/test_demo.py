import io

import pytest

from essaim.taxonomy.services import load_themes
from essaim.veille.demo import load_demo
from essaim.veille.models import Item, Pick, Source
from tests.veille.test_views import dangerous_markup

pytestmark = pytest.mark.django_db


def test_demo_loads_every_format_without_network_and_is_idempotent(client):
    load_themes()
    load_demo(io.StringIO())
    counts = (Source.objects.count(), Item.objects.count(), Pick.objects.count())
    load_demo(io.StringIO())
    assert (Source.objects.count(), Item.objects.count(), Pick.objects.count()) == counts
    assert counts == (5, 13, 4)
    assert Item.objects.filter(title="Fête de l'épicerie : café, gâteaux et échanges").exists()
    assert Source.objects.public().count() == 4
    body = client.get("/veille/flux/").content.decode()
    assert "Titre piégé" not in body and dangerous_markup(body) == []
    monnaie = Item.objects.get(guid="fil-ess-1042")
    assert [t.slug for t in monnaie.themes.all()] == ["monnaies-locales"]
