"""The observatory's dashboard: the same numbers in the picture, the table and the CSV,
public content only, bad filters named, bounded work per request."""

import csv
import io
import re

import pytest

from essaim.moderation.models import Status
from tests.agenda.conftest import make_event
from tests.initiatives import conftest as initiatives_conftest
from tests.initiatives.conftest import make_initiative

pytestmark = pytest.mark.django_db
ORLEANS = "45234"
themes = initiatives_conftest.themes  # the initiatives tests' theme tree, as a fixture here


@pytest.fixture
def content(themes):
    make_initiative("Jardin de Tours", themes=[themes["amap"]])
    make_initiative("Épicerie de Tours", themes=[themes["food"]])
    make_initiative("Éolienne d'Orléans", commune=ORLEANS, themes=[themes["energy"]])
    make_initiative("Projet en attente", themes=[themes["energy"]], status=Status.PENDING)
    make_event("Atelier vélo")
    return themes


def csv_rows(client, path: str) -> dict[str, int]:
    response = client.get(path)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return {row["libelle"]: int(row["valeur"]) for row in csv.DictReader(io.StringIO(text))}


def section(html: str, slug: str) -> str:
    return html.split(f'id="chart-{slug}"')[1].split("</section>")[0]


def test_initiatives_by_theme_count_sub_themes_and_public_initiatives_only(client, content):
    assert csv_rows(client, "/observatoire/initiatives-par-theme.csv") == {
        "Alimentation": 2, "Énergie": 1,
    }  # fmt: skip


def test_a_theme_filter_breaks_the_theme_into_its_sub_themes(client, content):
    assert csv_rows(client, "/observatoire/initiatives-par-theme.csv?theme=alimentation") == {
        "AMAP": 1
    }


def test_region_is_broken_down_by_departement_and_a_departement_by_epci(client, content):
    by_dep = csv_rows(client, "/observatoire/initiatives-par-territoire.csv")
    assert by_dep["Indre-et-Loire"] == 2 and by_dep["Loiret"] == 1 and by_dep["Cher"] == 0

    by_epci = csv_rows(client, "/observatoire/initiatives-par-territoire.csv?territoire=37")
    assert by_epci == {name: n for name, n in by_epci.items() if n == 0} | {
        "Tours Métropole Val de Loire": 2
    }


def test_page_draws_the_same_numbers_as_the_table_and_the_csv(client, content):
    html = client.get("/observatoire/").content.decode()

    bars = section(html, "initiatives-par-theme")
    assert re.search(r"<text[^>]*>2</text>", bars) and re.search(r"<text[^>]*>1</text>", bars)
    assert '<td class="number">2</td>' in bars
    assert 'href="/observatoire/initiatives-par-theme.csv"' in bars
    shaded = section(html, "carte-par-territoire")
    assert "<title>Indre-et-Loire : 2</title>" in shaded and "<path" in shaded
    assert re.search(r"<strong>3</strong>\s*initiatives publiées", html)


def test_monthly_series_count_this_months_publications_and_events(client, content):
    rows = csv_rows(client, "/observatoire/initiatives-par-mois.csv")
    assert len(rows) == 24 and list(rows.values())[-1] == 3
    events = csv_rows(client, "/observatoire/evenements-par-mois.csv")
    assert len(events) == 18


def test_svg_coordinates_are_not_localised_with_decimal_commas(client, content):
    html = client.get("/observatoire/").content.decode()
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        assert not re.search(r'(x|y|width|height|dx)="\d+,\d', svg), svg[:200]


@pytest.mark.parametrize(
    ("query", "message"),
    [("territoire=xx", "Territoire inconnu : « xx »"), ("theme=nope", "Thème inconnu : « nope »")],
)
def test_unknown_filters_are_named_with_a_400(client, query, message):
    page = client.get(f"/observatoire/?{query}")
    download = client.get(f"/observatoire/initiatives-par-theme.csv?{query}")

    assert page.status_code == 400 and message in page.content.decode()
    assert download.status_code == 400 and message in download.content.decode()


def test_unknown_chart_is_404(client):
    assert client.get("/observatoire/inconnu.csv").status_code == 404


def test_publishing_an_initiative_shows_at_once_despite_the_cache(client, content):
    assert csv_rows(client, "/observatoire/initiatives-par-theme.csv")["Énergie"] == 1
    make_initiative("Nouvelle centrale citoyenne", themes=[content["energy"]])
    assert csv_rows(client, "/observatoire/initiatives-par-theme.csv")["Énergie"] == 2


def test_dashboard_queries_do_not_grow_with_content(client, themes, django_assert_max_num_queries):
    for n in range(30):
        make_initiative(f"Initiative {n}", themes=[themes["amap"]], slug=f"i-{n}")
    with django_assert_max_num_queries(30):
        client.get("/observatoire/")
    with django_assert_max_num_queries(8):  # cached: filters, versions, themes
        client.get("/observatoire/")


def test_an_empty_platform_says_there_is_nothing_to_count(client):
    response = client.get("/observatoire/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Rien à compter pour l'instant." in html and "<svg" not in html


def test_key_figures_count_live_public_articles_and_sheets_of_the_territory(client, content):
    from essaim.experiences.models import ExperienceIndexPage
    from tests.experiences.conftest import make_sheet
    from tests.publications.conftest import make_article

    make_article("Une monnaie locale en Touraine", territory="37")
    make_article("Un tiers-lieu à Orléans", territory=ORLEANS)
    make_article("Brouillon", territory="37", live=False)
    make_sheet(ExperienceIndexPage.objects.get(), "Collecte itinérante réussie")

    html = client.get("/observatoire/?territoire=37").content.decode()

    assert re.search(r"<strong>1</strong>\s*articles publiés", html)
    assert re.search(r"<strong>1</strong>\s*expériences documentées", html)


def test_each_chart_can_be_embedded_alone_with_its_table(client, content):
    page = client.get("/observatoire/?territoire=37").content.decode()
    assert "/observatoire/initiatives-par-theme/embed/?territoire=37" in page

    embed = client.get("/observatoire/initiatives-par-theme/embed/?territoire=37")

    assert "frame-ancestors 'self' *" in embed["Content-Security-Policy"]
    html = embed.content.decode()
    assert html.count("<svg") == 1 and "<table" in html
    assert "Intégrer sur un autre site" not in html  # no snippet inside the snippet
    assert client.get("/observatoire/inconnu/embed/?territoire=37").status_code == 404
    assert client.get("/observatoire/initiatives-par-theme/embed/?territoire=zz").status_code == 400


def test_organisations_articles_and_experiences_are_counted_per_month(client, content):
    from essaim.experiences.models import ExperienceIndexPage
    from tests.directory.conftest import make_organisation
    from tests.experiences.conftest import make_sheet
    from tests.publications.conftest import make_article

    make_organisation("La Ruche de Tours")
    make_organisation("Ruche à Orléans", commune=ORLEANS)
    make_organisation("Ruche en attente", status=Status.PENDING)
    make_article("Monnaie locale", territory="37").save_revision().publish()
    make_article("Brouillon", territory="37", live=False)
    make_sheet(ExperienceIndexPage.objects.get(), "Collecte itinérante")
    make_sheet(ExperienceIndexPage.objects.get(), "Pas encore publiée", publish=False)

    def this_month(slug, query=""):
        rows = csv_rows(client, f"/observatoire/{slug}.csv{query}")
        return len(rows), list(rows.values())[-1]

    assert this_month("organisations-par-mois") == (24, 2)
    assert this_month("organisations-par-mois", "?territoire=37") == (24, 1)
    assert this_month("articles-par-mois", "?territoire=37") == (24, 1)
    assert this_month("experiences-par-mois", "?territoire=37") == (24, 1)


@pytest.mark.parametrize(("consolidated", "shown"), [(4, False), (5, True)])
def test_consolidated_assessments_are_counted_only_from_five(client, consolidated, shown):
    from essaim.evaluation.models import Project
    from tests.evaluation.helpers import campaign_with_answers

    campaign_with_answers(consolidated)
    Project.objects.update(commune_id="37261")  # a project counts where it is located

    html = client.get("/observatoire/").content.decode()
    csv = client.get("/observatoire/evaluations-par-mois.csv")

    assert ('id="chart-evaluations-par-mois"' in html) is shown
    assert "Projet campagne-test" not in html
    if shown:
        assert list(csv_rows(client, "/observatoire/evaluations-par-mois.csv").values())[-1] == 5
    else:
        assert csv.status_code == 404
