import json
import re

import pytest
from wagtail.models import PageViewRestriction

from essaim.experiences.models import ExperienceEvent
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from tests.agenda.conftest import make_event
from tests.experiences.conftest import COEDITOR_EMAIL, make_sheet
from tests.initiatives.conftest import make_initiative

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
CARD_TITLES = re.compile(r'class="card experience-card">\s*<h3><a href="[^"]+">([^<]+)</a>')


def titles(response) -> list[str]:
    return CARD_TITLES.findall(response.content.decode())


@pytest.fixture
def themes(db):
    food = Theme.objects.create(name="Alimentation", slug="alimentation", position=1)
    amap = Theme.objects.create(name="AMAP", slug="amap", parent=food)
    energy = Theme.objects.create(name="Énergie", slug="energie", position=2)
    return {"food": food, "amap": amap, "energy": energy}


# --- list ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_live_sheets_only(client, index):
    make_sheet(index, "Une AMAP à Tours")
    make_sheet(index, "Un brouillon", publish=False)
    private = make_sheet(index, "Une fiche privée")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    assert titles(client.get("/experiences/")) == ["Une AMAP à Tours"]


@pytest.mark.django_db
def test_list_filters_by_theme_with_its_sub_themes(client, index, themes):
    make_sheet(index, "AMAP", themes=[themes["amap"]])
    make_sheet(index, "Solaire", themes=[themes["energy"]])

    assert titles(client.get("/experiences/?theme=alimentation")) == ["AMAP"]
    assert titles(client.get("/experiences/?theme=energie")) == ["Solaire"]


@pytest.mark.django_db
def test_list_filters_by_territory_at_any_level(client, index):
    make_sheet(index, "À Tours", commune="37261")
    make_sheet(index, "À Orléans", commune="45234")

    assert titles(client.get("/experiences/?territoire=37")) == ["À Tours"]
    assert titles(client.get("/experiences/?territoire=45234")) == ["À Orléans"]
    unknown = client.get("/experiences/?territoire=99999").content.decode()
    assert "Territoire inconnu" in unknown


@pytest.mark.django_db
def test_list_filters_by_outcome(client, index):
    make_sheet(index, "Réussie", outcome="reussite")
    make_sheet(index, "Ratée", outcome="echec-instructif")

    assert titles(client.get("/experiences/?issue=echec-instructif")) == ["Ratée"]
    assert len(titles(client.get("/experiences/?issue=nimporte"))) == 2


@pytest.mark.django_db
def test_list_pages_link_the_next_page(client, index):
    for number in range(13):
        make_sheet(index, f"Fiche {number:02d}")

    first = client.get("/experiences/?issue=reussite-partielle").content.decode()
    second = client.get("/experiences/?issue=reussite-partielle&page=2")

    assert '<link rel="next" href="?issue=reussite-partielle&amp;page=2">' in first
    assert len(titles(second)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_does_not_grow(client, index, themes, count,
                                        django_assert_max_num_queries):  # fmt: skip
    for number in range(count):
        make_sheet(index, f"Fiche {number:02d}", themes=[themes["amap"], themes["energy"]])

    # Wagtail routing (site, pages, restrictions), the filters, the count, the page of
    # sheets and its themes: the same at 5 and at 50 sheets.
    with django_assert_max_num_queries(14):
        response = client.get("/experiences/?theme=alimentation&territoire=37")

    assert len(titles(response)) == min(count, 12)


# --- detail --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_sections_in_order_with_a_table_of_contents(client, sheet):
    html = client.get("/experiences/une-ressourcerie-itinerante/").content.decode()

    assert '<a href="#contexte">Contexte et besoin</a>' in html
    assert html.index('id="contexte"') < html.index('id="ce-qui-n-a-pas-marche"')
    assert "La vente itinérante coûtait trop cher." in html
    assert 'id="acteurs"' not in html  # empty sections are left out


@pytest.mark.django_db
def test_detail_never_prints_the_co_editors_addresses(client, sheet):
    html = client.get("/experiences/une-ressourcerie-itinerante/").content.decode()

    assert COEDITOR_EMAIL not in html and "coeditrice-secrete" not in html
    assert 'action="/experiences/une-ressourcerie-itinerante/contact/#reproduire-contact"' in html


@pytest.mark.django_db
def test_stored_html_is_sanitised_on_render(client, index):
    make_sheet(index, "Fiche", context='<p onclick="x()">Texte<script>alert(1)</script></p>')

    html = client.get("/experiences/fiche/").content.decode()

    assert "<script>alert" not in html and "onclick" not in html and "Texte" in html


@pytest.mark.django_db
def test_json_ld_describes_the_sheet(client, index, themes):
    sheet = make_sheet(index, "Fiche </script><script>", slug="fiche",
                       themes=[themes["energy"]], organisation_name="SCIC Soleil")  # fmt: skip
    sheet.timeline = [("step", {"period": "2019", "title": "Départ", "text": "On démarre."})]
    sheet.save_revision().publish()

    raw = JSONLD.findall(client.get("/experiences/fiche/").content.decode())[0]
    data = json.loads(raw)

    assert "</script><script>" not in raw
    assert data["@type"] == ["HowTo", "CreativeWork"]
    assert data["name"] == "Fiche </script><script>"
    assert data["abstract"] == sheet.summary
    assert data["about"] == [{"@type": "DefinedTerm", "name": "Énergie"}]
    assert data["author"] == {"@type": "Organization", "name": "SCIC Soleil"}
    assert data["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert data["spatialCoverage"]["name"] == "Tours"
    assert data["dateModified"].startswith("20")
    assert data["step"] == [{"@type": "HowToStep", "position": 1, "name": "2019 — Départ",
                             "text": "On démarre."}]  # fmt: skip
    assert data["url"] == "http://testserver/experiences/fiche/"


@pytest.mark.django_db
def test_detail_has_open_graph_tags_and_licence_attribution(client, sheet):
    html = client.get("/experiences/une-ressourcerie-itinerante/").content.decode()

    assert '<meta property="og:title" content="Une ressourcerie itinérante">' in html
    assert '<meta property="og:type" content="article">' in html
    assert 'rel="license">CC BY-SA 4.0</a>' in html
    assert 'href="/static/experiences/print.css" media="print"' in html


@pytest.mark.django_db
def test_linked_initiative_and_events_show_only_while_public(client, index):
    public = make_initiative("Ressourcerie de Loches", slug="ressourcerie-loches")
    sheet = make_sheet(index, "Fiche", initiative=public)
    shown = make_event("Repair café public", slug="repair-public")
    hidden = make_event("Atelier en attente", slug="atelier-attente", status=Status.PENDING)
    ExperienceEvent.objects.bulk_create([ExperienceEvent(page=sheet, event=shown),
                                         ExperienceEvent(page=sheet, event=hidden)])  # fmt: skip

    html = client.get("/experiences/fiche/").content.decode()
    assert 'href="/initiatives/ressourcerie-loches/"' in html
    assert "/carte/?territoire=37261&amp;q=Ressourcerie%20de%20Loches" in html
    assert "Repair café public" in html and "Atelier en attente" not in html

    public.status = Status.PENDING
    public.save()
    assert "ressourcerie-loches" not in client.get("/experiences/fiche/").content.decode()


@pytest.mark.django_db
def test_draft_sheet_is_404(client, index):
    make_sheet(index, "Brouillon", publish=False)

    assert client.get("/experiences/brouillon/").status_code == 404
    assert client.get("/experiences/brouillon/historique/").status_code == 404
