"""The module sections of territory pages that depend on where things are: consultations
(about the place, around it, inside it) and the watch (the home région's page only)."""

import re

import pytest

from tests.consultations.factories import make_consultation
from tests.veille import factories as veille

pytestmark = pytest.mark.django_db


def consultations_on(client, key: str) -> list[str]:
    html = client.get(f"/territoires/{key}/").content.decode()
    section = re.search(r'id="section-consultations-title".*?</section>', html, re.S)
    return re.findall(r'<a href="/consultations/[^"]+">([^<]+)</a>', section[0]) if section else []


def test_territory_pages_list_the_consultations_that_concern_them(client):
    make_consultation(slug="region", title="Budget régional", territory_key="region-24")
    make_consultation(slug="indre-et-loire", title="Schéma 37", territory_key="37")
    make_consultation(slug="tours", title="Quartiers de Tours", territory_key="37261")
    make_consultation(slug="touraine-est", title="Vallée du Cher", territory_key="243700820")
    make_consultation(slug="loiret", title="Orléans demain", territory_key="45234")
    make_consultation(slug="draft", title="Brouillon", territory_key="37", published=False)
    make_consultation(slug="anywhere", title="Sans territoire")

    # a commune: itself and what encloses it (not another EPCI of its département)
    assert set(consultations_on(client, "37261")) == {
        "Budget régional", "Schéma 37", "Quartiers de Tours"}  # fmt: skip
    # a département: itself, its région, its communes and EPCI
    assert set(consultations_on(client, "37")) == {
        "Budget régional", "Schéma 37", "Quartiers de Tours", "Vallée du Cher"}  # fmt: skip
    # the région: everything inside it
    assert set(consultations_on(client, "region-24")) == {
        "Budget régional", "Schéma 37", "Quartiers de Tours", "Vallée du Cher",
        "Orléans demain"}  # fmt: skip
    assert set(consultations_on(client, "45")) == {"Budget régional", "Orléans demain"}


def test_the_watch_shows_on_the_home_region_page_only(client):
    veille.pick(veille.item(title="Les SCIC en 2026"))
    veille.pick(veille.item(veille.source(is_public=False), title="Une source privée"))

    region = client.get("/territoires/region-24/").content.decode()
    departement = client.get("/territoires/37/").content.decode()

    assert "Les SCIC en 2026" in region
    assert "Une source privée" not in region
    assert 'href="/veille/"' in region
    assert "Les SCIC en 2026" not in departement


@pytest.fixture
def everything_in_tours(django_user_model, settings):
    """One public item of every module in Tours, so that every section has rows."""
    from essaim.accounts.roles import Role
    from essaim.directory.models import FacilitatorArea
    from essaim.evaluation.models import Project
    from essaim.experiences.models import ExperienceIndexPage
    from essaim.territories.models import Commune
    from tests.agenda.conftest import make_event
    from tests.conftest import make_user
    from tests.directory.conftest import make_organisation
    from tests.evaluation.helpers import campaign_with_answers
    from tests.experiences.conftest import make_sheet
    from tests.initiatives.conftest import make_initiative
    from tests.publications.conftest import make_article

    make_initiative("Jardin des Prébendes")
    make_event("Atelier vélo")
    make_article("Les tiers-lieux de Tours", territory="37261").save_revision().publish()
    index = ExperienceIndexPage.objects.get()
    for n in range(6):
        make_sheet(index, f"Ressourcerie {n}")
        make_organisation(f"La Ruche {n}")
    facilitator = make_user(django_user_model, "anim@example.org", Role.FACILITATOR)
    FacilitatorArea.objects.create(user=facilitator, territory_key="37")
    settings.ESSAIM_EVALUATION_MIN_GROUP = 2
    campaign = campaign_with_answers(3)
    ids = campaign.assessments.values_list("project_id", flat=True)
    Project.objects.filter(pk__in=list(ids)).update(commune=Commune.objects.get(pk="37261"))
    make_consultation(slug="region", title="Budget régional", territory_key="region-24")
    veille.pick(veille.item(title="Les SCIC en 2026"))


SECTION_TITLES = ["section-initiatives-title", "section-events-title",
                  "section-publications-title", "section-experiences-title",
                  "section-organisations-title", "section-consultations-title"]  # fmt: skip


@pytest.mark.parametrize("key", ["37261", "243700754", "37", "region-24"])
def test_a_full_territory_page_stays_within_twenty_queries(
    client, everything_in_tours, django_assert_max_num_queries, key
):
    """Issue #9's budget: ≤ 20 SQL queries however much each section holds. Measured
    warm: the first view fills the caches every view then reads (Wagtail's site root
    paths, the campaign aggregates: five queries more, once per ten minutes)."""
    client.get(f"/territoires/{key}/")
    with django_assert_max_num_queries(20):
        html = client.get(f"/territoires/{key}/").content.decode()

    for title in SECTION_TITLES:
        assert f'id="{title}"' in html, title
    assert ('id="section-evaluation-title"' in html) is (key == "37")
    assert ('id="section-veille-title"' in html) is (key == "region-24")
