"""No injection: hostile HTML in every field that renders runs nothing in a real browser.

The pages are opened in Chromium; a payload that executed would set ``window.__pwned``,
leave an event-handler attribute or a ``javascript:`` link in the DOM, or trigger a CSP
violation report (which the harness turns into a failure).
"""

import pytest
from django.utils import timezone

from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune
from tests.browser.test_initiatives import no_tiles
from tests.hardening.hostile import FORBIDDEN_IN_DOM, ONE_LINE

TOURS = "37261"


@pytest.fixture
def hostile_initiative(db):
    from essaim.initiatives.models import Initiative

    theme = Theme.objects.create(name="Thème <b>gras</b>", slug="hostile")
    commune = Commune.objects.get(pk=TOURS)
    initiative = Initiative.objects.create(
        name=f"Hostile {ONE_LINE}"[:200], slug="hostile", summary=ONE_LINE[:280],
        description=ONE_LINE, address=ONE_LINE[:255], commune=commune,
        latitude=commune.latitude, longitude=commune.longitude, opening_hours=ONE_LINE[:255],
        website="javascript:window.__pwned=20", social_links=["javascript:window.__pwned=21"],
        organisation_name=ONE_LINE[:200], phone=ONE_LINE[:30], status=Status.PUBLISHED,
        published_at=timezone.now(),
    )  # fmt: skip
    initiative.themes.set([theme])
    return initiative


PAGES = ["/initiatives/hostile/", "/initiatives/", "/", "/recherche/?q=Hostile",
         "/territoires/37261/", "/themes/hostile/"]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_hostile_initiative_fields_run_nothing(page, hostile_initiative, path):
    no_tiles(page)
    page.goto(path)
    assert page.evaluate(FORBIDDEN_IN_DOM) == []
