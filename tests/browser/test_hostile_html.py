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
from tests.browser.test_publications import page_tree  # noqa: F401 (fixture)
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


@pytest.fixture
def hostile_veille(db):
    """A public source and a picked item whose every field is hostile, stored raw (as an old
    row or a bypassed sanitiser would leave it)."""
    from essaim.veille.models import Item, Pick, Source

    theme = Theme.objects.create(name="Veille <b>hostile</b>", slug="veille-hostile")
    source = Source.objects.create(url="https://news.example.org/feed", title=ONE_LINE[:300],
                                   site_url="javascript:window.__pwned=40")  # fmt: skip
    item = Item.objects.create(
        source=source, guid="hostile", link="javascript:window.__pwned=41",
        title=f"Hostile {ONE_LINE}"[:500], summary_html=ONE_LINE, author=ONE_LINE[:200],
        published_at=timezone.now(), content_hash="hostile",
    )  # fmt: skip
    item.themes.set([theme])
    pick = Pick.objects.create(item=item, comment=ONE_LINE[:1000], picked_at=timezone.now())
    pick.themes.set([theme])
    return pick


VEILLE_PAGES = ["/veille/", "/veille/flux/", "/veille/theme/veille-hostile/",
                "/themes/veille-hostile/", "/recherche/?q=Hostile"]  # fmt: skip


@pytest.mark.parametrize("path", VEILLE_PAGES)
def test_hostile_veille_fields_run_nothing(page, hostile_veille, path):
    page.goto(path)
    assert page.evaluate(FORBIDDEN_IN_DOM) == []


@pytest.fixture
def hostile_pages(page_tree):  # noqa: F811 (the imported fixture)
    """An article and an experience sheet whose text and rich-text fields are hostile."""
    from wagtail.rich_text import RichText

    from essaim.experiences.models import ExperienceIndexPage, ExperiencePage
    from essaim.publications.models import ArticleIndexPage, ArticlePage

    theme = Theme.objects.create(name="Pages <i>hostiles</i>", slug="pages-hostiles")
    article = ArticlePage(
        title=f"Hostile {ONE_LINE}"[:255], slug="hostile", lead=ONE_LINE[:500],
        organisation_name=ONE_LINE[:200], territory_key=TOURS,
        body=[("paragraph", RichText(ONE_LINE)), ("quote", {"text": ONE_LINE[:1000],
                                                            "source": ONE_LINE[:200]})],
    )  # fmt: skip
    article.themes.set([theme])
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.save_revision().publish()
    index = ExperienceIndexPage.objects.first()
    if index is None:
        from wagtail.models import Site

        index = ExperienceIndexPage(title="Expériences", slug="experiences")
        Site.objects.get().root_page.add_child(instance=index)
    sheet = ExperiencePage(
        title=f"Hostile {ONE_LINE}"[:255], slug="hostile", summary=ONE_LINE[:500],
        outcome="reussite", organisation_name=ONE_LINE[:200], context=ONE_LINE,
        actors=ONE_LINE, what_worked=ONE_LINE, lessons=ONE_LINE,
        commune=Commune.objects.get(pk=TOURS),
    )  # fmt: skip
    sheet.themes = [theme]
    index.add_child(instance=sheet)
    sheet.save_revision().publish()
    return article, sheet


PAGE_PATHS = ["/articles/", "/articles/hostile/", "/experiences/", "/experiences/hostile/",
              "/experiences/hostile/historique/", "/themes/pages-hostiles/",
              "/territoires/37261/", "/recherche/?q=Hostile"]  # fmt: skip


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_hostile_article_and_sheet_fields_run_nothing(page, hostile_pages, path):
    page.goto(path)
    assert page.evaluate(FORBIDDEN_IN_DOM) == []


@pytest.fixture
def hostile_directory(db, django_user_model):
    """An organisation, a person's public profile and an offer, every text field hostile."""
    from tests.conftest import make_user
    from tests.directory.conftest import make_item, make_organisation, make_profile

    theme = Theme.objects.create(name="Annuaire <i>hostile</i>", slug="annuaire-hostile")
    organisation = make_organisation(
        f"Hostile {ONE_LINE}"[:200], slug="hostile", summary=ONE_LINE[:280],
        description=ONE_LINE, address=ONE_LINE[:255], themes=[theme],
        website="javascript:window.__pwned=50", social_links=["javascript:window.__pwned=51"],
    )  # fmt: skip
    user = make_user(django_user_model, "hostile@example.org")
    make_profile(user, name=f"Hostile {ONE_LINE}"[:120], slug="hostile", bio=ONE_LINE[:2000],
                 skills=ONE_LINE[:200], availability=ONE_LINE[:200],
                 website="javascript:window.__pwned=52",
                 visibility={"bio": "public", "skills": "public", "availability": "public",
                             "website": "public"})  # fmt: skip
    make_item("offre", f"Hostile {ONE_LINE}"[:200], organisation=organisation,
              description=ONE_LINE[:3000], themes=[theme])  # fmt: skip
    return organisation


DIRECTORY_PAGES = ["/annuaire/", "/annuaire/hostile/", "/annuaire/personnes/",
                   "/annuaire/personnes/hostile/", "/annuaire/offres-besoins/",
                   "/themes/annuaire-hostile/", "/territoires/37261/",
                   "/recherche/?q=Hostile"]  # fmt: skip


@pytest.mark.parametrize("path", DIRECTORY_PAGES)
def test_hostile_directory_fields_run_nothing(page, hostile_directory, path):
    page.goto(path)
    assert "Hostile" in page.content()  # the hostile record is on the page
    assert page.evaluate(FORBIDDEN_IN_DOM) == []


@pytest.fixture
def hostile_consultation(db):
    from essaim.consultations.models import ProposalSection
    from tests.consultations.factories import make_consultation, make_proposal

    theme = Theme.objects.create(name="Consultation <b>hostile</b>", slug="consultation-hostile")
    consultation = make_consultation(
        slug="hostile", title=f"Hostile {ONE_LINE}"[:200], summary=ONE_LINE[:300],
        context=ONE_LINE, organiser_name=ONE_LINE[:200],
    )  # fmt: skip
    consultation.themes.set([theme])
    proposal = make_proposal(consultation, title=f"Hostile {ONE_LINE}"[:200],
                             summary=ONE_LINE, body=ONE_LINE, answer_text=ONE_LINE,
                             answer_state="accepted")  # fmt: skip
    proposal.comments.create(body=ONE_LINE[:5000], status=Status.PUBLISHED)
    ProposalSection.objects.create(proposal=proposal, heading=ONE_LINE[:200], body=ONE_LINE)
    return proposal


def test_hostile_consultation_fields_run_nothing(page, hostile_consultation):
    proposal = hostile_consultation
    for path in ["/consultations/", "/consultations/hostile/", proposal.get_absolute_url(),
                 "/consultations/hostile/resultats/", "/themes/consultation-hostile/",
                 "/recherche/?q=Hostile"]:  # fmt: skip
        page.goto(path)
        assert "Hostile" in page.content(), path
        assert page.evaluate(FORBIDDEN_IN_DOM) == [], path
