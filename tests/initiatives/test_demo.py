import io

import pytest

from essaim.initiatives.demo import load_demo
from essaim.initiatives.models import Initiative
from essaim.moderation.models import Report, Status
from essaim.taxonomy.models import Theme
from essaim.taxonomy.services import load_themes


@pytest.mark.django_db
def test_demo_is_realistic_and_idempotent():
    load_themes()
    load_demo(io.StringIO())
    load_demo(io.StringIO())

    initiatives = Initiative.objects.all()
    assert initiatives.count() >= 150
    assert set(initiatives.values_list("commune__departement", flat=True)) == {
        "18", "28", "36", "37", "41", "45"
    }  # fmt: skip
    assert 8 <= initiatives.filter(status=Status.PENDING).count() <= 12
    assert Initiative.objects.public().count() >= 140
    for theme in Theme.objects.top_level():
        assert initiatives.filter(themes__in=[theme, *theme.children.all()]).exists(), theme
    reported = {int(pk) for pk in Report.objects.values_list("object_id", flat=True)}
    assert len(reported) == 3 and Initiative.objects.hidden().count() == 1
    assert initiatives.exclude(opening_hours="").exists() and initiatives.exclude(siret="").exists()
