"""The open-data catalogue: /donnees/ for people, /donnees/catalogue.jsonld (DCAT) for portals,
and the downloads it names — each one works, parses, and holds public rows only."""

import csv
import io
import json
import xml.etree.ElementTree as ET  # noqa: N817 (the usual name)

import feedparser
import icalendar
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF

from essaim.experiences.models import ExperienceIndexPage
from essaim.moderation.models import Status
from essaim.observatory.catalogue import DATASETS
from tests.agenda.conftest import make_event
from tests.consultations.factories import make_consultation, make_proposal
from tests.directory.conftest import make_organisation
from tests.evaluation.helpers import campaign_with_answers
from tests.experiences.conftest import make_sheet
from tests.initiatives.conftest import make_initiative
from tests.publications.conftest import make_article
from tests.veille import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    make_initiative("Ressourcerie publiée", slug="publiee")
    make_initiative("Ressourcerie en attente", slug="en-attente", status=Status.PENDING)
    make_event("Atelier publié", rrule="FREQ=WEEKLY;COUNT=3")
    make_event("Atelier en attente", status=Status.PENDING)
    factories.pick(factories.item(factories.source(), title="Sélection publique"))
    factories.pick(factories.item(factories.source(is_public=False), title="Sélection privée"))
    make_article("Une monnaie locale en Touraine", territory="37")
    make_sheet(ExperienceIndexPage.objects.get(), "Collecte itinérante réussie")
    campaign_with_answers(5)
    proposal = make_proposal(make_consultation(), title="Proposition publiée")
    proposal.comments.create(body="Commentaire publié", status=Status.PUBLISHED)
    make_organisation("Coopérative publiée")


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


def catalogue_graph(client) -> rdflib.Graph:
    response = client.get("/donnees/catalogue.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    return rdflib.Graph().parse(data=response.content, format="json-ld")


def test_dcat_catalogue_parses_and_lists_every_dataset_with_licence_and_formats(client, content):
    graph = catalogue_graph(client)

    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(catalogues) == 1
    assert set(graph.objects(catalogues[0], DCAT.dataset)) == datasets
    identifiers = {str(graph.value(d, DCTERMS.identifier)) for d in datasets}
    assert identifiers == {dataset.slug for dataset in DATASETS}
    for dataset in datasets:
        assert str(graph.value(dataset, DCTERMS.license)).startswith("https://")
        assert graph.value(dataset, DCTERMS.title)
        assert list(graph.objects(dataset, DCAT.distribution))
    initiatives = next(
        d for d in datasets if str(graph.value(d, DCTERMS.identifier)) == "initiatives"
    )
    assert (
        str(graph.value(initiatives, DCTERMS.license))
        == "https://opendatacommons.org/licenses/odbl/1-0/"
    )
    assert graph.value(initiatives, DCTERMS.modified) is not None


def test_every_download_the_catalogue_names_works_and_parses(client, content):
    graph = catalogue_graph(client)
    urls = [str(url) for url in graph.objects(None, DCAT.downloadURL)]
    assert len(urls) == sum(len(d.distributions) for d in DATASETS)

    for url in urls:
        path = url.removeprefix("http://testserver")
        text = body(client.get(path))
        if path.endswith(".csv"):
            rows = list(csv.DictReader(io.StringIO(text)))
            assert rows, path
        elif path.endswith((".geojson", ".jsonld", ".json")):
            json.loads(text)
        elif path.endswith(".ics"):
            assert icalendar.Calendar.from_ical(text).walk("VEVENT")
        elif path.endswith((".rss", ".atom")):
            assert not feedparser.parse(text).bozo, path
        elif path.endswith(".opml"):
            assert ET.fromstring(text).find("body/outline") is not None  # noqa: S314 (ours)
        else:
            pytest.fail(f"no parser for {path}")


def test_downloads_hold_public_rows_only(client, content):
    events = body(client.get("/donnees/evenements.csv"))
    picks = body(client.get("/donnees/veille.csv"))

    assert "Atelier publié" in events and "Atelier en attente" not in events
    assert "Sélection publique" in picks and "Sélection privée" not in picks


def test_event_table_keeps_the_rule_and_dates_with_their_offset(client, content):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/donnees/evenements.csv")))))

    (row,) = rows
    assert row["recurrence"] == "FREQ=WEEKLY;COUNT=3"
    assert row["debut"] == "2027-03-16T18:00:00+01:00"
    assert row["fuseau_horaire"] == "Europe/Paris"
    assert row["code_insee"] == "37261" and row["commune"] == "Tours"
    assert row["url"] == "http://testserver/agenda/atelier-publie/"


def test_territory_table_resolves_the_codes_of_other_datasets(client):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/donnees/territoires.csv")))))

    tours = next(r for r in rows if r["niveau"] == "commune" and r["code"] == "37261")
    assert tours["nom"] == "Tours" and tours["departement"] == "37" and tours["region"] == "24"
    assert {r["niveau"] for r in rows} == {"region", "departement", "epci", "commune"}


def test_data_page_shows_counts_of_public_rows_and_links_each_format(client, content):
    html = client.get("/donnees/").content.decode()

    assert 'href="/donnees/catalogue.jsonld"' in html
    for dataset in DATASETS:
        assert f'id="{dataset.slug}"' in html
        for distribution in dataset.distributions:
            assert f'href="{distribution.path}"' in html
    initiatives = html.split('id="initiatives"')[1].split("</section>")[0]
    assert "<dd>1</dd>" in initiatives  # the pending one is not counted


def test_data_page_counts_are_cached_between_requests(
    client, content, django_assert_max_num_queries
):
    client.get("/donnees/")
    with django_assert_max_num_queries(2):
        client.get("/donnees/")


def test_articles_and_experiences_tables_hold_live_public_pages(client, content):
    make_article("Brouillon sur les tiers-lieux", live=False)
    make_sheet(ExperienceIndexPage.objects.get(), "Fiche non publiée", publish=False)

    articles = list(csv.DictReader(io.StringIO(body(client.get("/donnees/articles.csv")))))
    sheets = list(csv.DictReader(io.StringIO(body(client.get("/donnees/experiences.csv")))))

    assert [a["titre"] for a in articles] == ["Une monnaie locale en Touraine"]
    assert articles[0]["url"].startswith("http://testserver/articles/")
    assert [s["titre"] for s in sheets] == ["Collecte itinérante réussie"]
    assert sheets[0]["ce_qui_n_a_pas_marche"] == "La vente itinérante coûtait trop cher."
    assert sheets[0]["code_insee"] == "37261"
