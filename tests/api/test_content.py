"""/api/v1/articles, /experiences, /veille and /territories/<key>: what each returns, how
its filters behave, and that a territory's counts are the dashboard's."""

import re

import pytest
from django.utils import timezone

from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from tests.directory.conftest import make_organisation
from tests.hardening.test_no_leak import make_article, make_event, make_initiative, make_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme(db):
    parent = Theme.objects.create(name="Alimentation", slug="alimentation")
    return Theme.objects.create(name="Circuits courts", slug="circuits-courts", parent=parent)


def test_articles_are_listed_with_their_metadata_and_filtered(client, theme):
    make_article("qonez", theme, status=Status.PUBLISHED)
    make_article("qdraftz", theme, status=Status.DRAFT)

    page = client.get("/api/v1/articles?theme=alimentation").json()  # parent theme

    assert page["count"] == 1 and page["licence"] == "CC-BY-SA-4.0"
    article = page["results"][0]
    assert article["title"] == "Quetzal qonez" and article["lead"] == "Chapô qonez"
    assert article["themes"] == ["circuits-courts"] and article["territory"] == "37261"
    assert article["url"].startswith("http://testserver/") and article["url"].endswith(
        "/quetzal-qonez/"
    )
    assert client.get("/api/v1/articles?territoire=41").json()["count"] == 0
    assert client.get("/api/v1/articles?q=qonez").json()["count"] == 1


@pytest.mark.parametrize(("url", "parameter"), [
    ("/api/v1/articles?theme=inconnu", "theme"),
    ("/api/v1/articles?territoire=zz", "territoire"),
    ("/api/v1/experiences?issue=triomphe", "issue"),
    ("/api/v1/veille?theme=inconnu", "theme"),
    ("/api/v1/organisations?theme=inconnu", "theme"),
    ("/api/v1/organisations?territoire=zz", "territoire"),
    ("/api/v1/offers-needs?territoire=99999", "territoire"),
])  # fmt: skip
def test_unknown_filter_values_are_a_400_naming_the_parameter(client, url, parameter):
    answer = client.get(url)
    assert answer.status_code == 400 and answer.json()["parameter"] == parameter


def test_experiences_carry_their_sections_as_plain_text(client, theme):
    make_sheet("qonez", theme, status=Status.PUBLISHED)

    page = client.get("/api/v1/experiences?territoire=37&issue=reussite").json()

    sheet = page["results"][0]
    assert page["count"] == 1 and sheet["summary"] == "Résumé qonez"
    assert sheet["sections"]["context"] == "Contexte qonez"  # no <p>
    assert sheet["commune_code"] == "37261" and sheet["outcome"] == "reussite"
    assert client.get("/api/v1/experiences?issue=abandon").json()["count"] == 0


def test_veille_lists_picks_newest_first_with_plain_summaries(client, theme):
    from essaim.veille.models import Item, Pick, Source

    source = Source.objects.create(url="https://news.example.org/feed", title="Journal")
    now = timezone.now()
    for n in range(3):
        item = Item.objects.create(source=source, guid=f"g{n}", link=f"https://n.example/{n}",
                                   title=f"Nouvelle {n}", summary_html=f"<p>Résumé <b>{n}</b></p>",
                                   published_at=now, content_hash=f"h{n}")  # fmt: skip
        pick = Pick.objects.create(item=item, comment=f"Pourquoi {n}",
                                   picked_at=now - timezone.timedelta(days=n))  # fmt: skip
        pick.themes.set([theme])

    page = client.get("/api/v1/veille?page_size=2").json()

    assert [p["title"] for p in page["results"]] == ["Nouvelle 0", "Nouvelle 1"]
    assert page["results"][0]["summary"] == "Résumé 0" and page["next"]
    since = (now - timezone.timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/veille", {"since": since}).json()["count"] == 1


def test_a_territory_gives_its_figures_and_the_dashboard_counts(client, theme):
    for n in range(2):
        make_initiative(f"qinit{n}z", theme, status=Status.PUBLISHED)
    make_initiative("qpendz", theme, status=Status.PENDING)
    make_event("qeventz", theme, status=Status.PUBLISHED)
    make_article("qarticlez", theme, status=Status.PUBLISHED)
    make_sheet("qsheetz", theme, status=Status.PUBLISHED)
    make_organisation("Coopérative de Tours")
    make_organisation("En attente", status=Status.PENDING)

    answer = client.get("/api/v1/territories/37").json()

    assert answer["name"] == "Indre-et-Loire (37)" and answer["level"] == "departement"
    assert [p["key"] for p in answer["parents"]] == ["region-24"]
    assert answer["communes"] > 200 and "37000" in answer["postal_codes"]
    assert answer["counts"] == {"initiatives": 2, "upcoming_events": 1, "articles": 1,
                                "experiences": 1, "organisations": 1}  # fmt: skip
    dashboard = client.get("/observatoire/?territoire=37").content.decode()
    shown = dashboard.split('class="key-figures"')[1].split("</ul>")[0]
    assert [int(n) for n in re.findall(r"<strong>(\d+)</strong>", shown)] == list(
        answer["counts"].values()
    )
    page = " ".join(client.get("/territoires/37/").content.decode().split())
    assert "2 initiatives publiées." in page
    assert client.get("/api/v1/territories/99999").status_code == 404
