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


@pytest.fixture
def hostile_event(db):
    from datetime import timedelta

    from essaim.agenda.models import Event

    theme = Theme.objects.create(name="Agenda <i>hostile</i>", slug="agenda-hostile")
    commune = Commune.objects.get(pk=TOURS)
    start = timezone.now() + timedelta(days=1)
    # Stored raw, as the back office or an old import could: rendering must still be safe.
    event = Event.objects.create(
        title=f"Hostile {ONE_LINE}"[:140], slug="hostile", summary=ONE_LINE[:280],
        description=ONE_LINE, place_name=ONE_LINE[:200], address=ONE_LINE[:255],
        commune=commune, latitude=commune.latitude, longitude=commune.longitude,
        start=start, end=start + timedelta(hours=2), organiser_name=ONE_LINE[:200],
        attendance_mode="mixed", online_url="javascript:window.__pwned=30",
        registration_mode="link", registration_url="javascript:window.__pwned=31",
        accessibility_notes=ONE_LINE[:500], audience=ONE_LINE[:200], price=ONE_LINE[:300],
        status=Status.PUBLISHED, published_at=timezone.now(),
    )  # fmt: skip
    event.themes.set([theme])
    return event


EVENT_PAGES = ["/agenda/hostile/", "/agenda/", "/agenda/?vue=calendrier", "/agenda/?vue=carte",
               "/agenda/embed/", "/", "/recherche/?q=Hostile",
               "/themes/agenda-hostile/"]  # fmt: skip


@pytest.mark.parametrize("path", EVENT_PAGES)
def test_hostile_event_fields_run_nothing(page, hostile_event, path):
    no_tiles(page)
    page.goto(path)
    assert page.evaluate(FORBIDDEN_IN_DOM) == []
