import pytest
from django.utils.text import slugify

from essaim.evaluation.models import Project
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune
from tests.evaluation.helpers import campaign_with_answers

pytestmark = pytest.mark.django_db


def place(campaign, count: int, theme, commune) -> None:
    ids = campaign.assessments.values_list("project_id", flat=True).order_by("project_id")
    Project.objects.filter(pk__in=list(ids)[:count]).update(theme=theme, commune=commune)


@pytest.mark.parametrize(("count", "shown"), [(4, False), (5, True)])
def test_theme_page_shows_aggregates_from_five_projects(client, count, shown):
    theme = Theme.objects.create(name="Quetzal alimentation", slug=slugify("quetzal alim"))
    campaign = campaign_with_answers(6)
    place(campaign, count, theme, Commune.objects.get(pk="37261"))

    theme_page = client.get(f"/themes/{theme.slug}/").content.decode()
    departement_page = client.get("/territoires/37/").content.decode()
    from essaim.evaluation.sections import aggregates_of_territory
    from essaim.territories.models import Departement

    departement = aggregates_of_territory(Departement.objects.get(code="37"))

    assert ("Auto-évaluation des projets" in theme_page) is shown
    assert ("Auto-évaluation des projets" in departement_page) is shown
    assert bool(departement) is shown
    assert aggregates_of_territory(Commune.objects.get(pk="37261")) == {}
    assert "Projet campagne-test" not in theme_page
