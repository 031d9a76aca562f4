import io

import pytest

from essaim.directory import demo
from essaim.directory.models import Match, OfferNeed, Organisation, PersonProfile
from essaim.taxonomy.models import Theme


@pytest.mark.django_db
def test_the_demo_fills_the_region_and_is_idempotent():
    for position, slug in enumerate(["alimentation", "energie", "mobilite"]):
        Theme.objects.create(name=slug, slug=slug, position=position)
    demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())
    assert Organisation.objects.public().count() >= 80
    departements = set(Organisation.objects.values_list("commune__departement", flat=True))
    assert departements == {"18", "28", "36", "37", "41", "45"}
    assert PersonProfile.objects.public().count() >= 20
    assert OfferNeed.objects.filter(direction=OfferNeed.Direction.NEED).count() >= 20
    assert Match.objects.count() >= 20
