"""Observatory figures (issue #9): territory pages, the dashboard and the territory API
at the demo's volume × 100 — 6 départements × 28 communes of demo initiatives (≈ 170) →
17,000 initiatives, 6,000 events, 2,000 articles, 1,000 experience sheets, 9,600
organisations, 200 consultations.

Target: a territory page ≤ 20 SQL queries and p95 ≤ 80 ms server time. The content is
added only up to those volumes, so a database a previous benchmark filled is reused.
"""

import random
import time

from django.test import Client
from django.utils import timezone

from bench.harness import migrated_database, timed_get
from bench.results import Figure, percentile

INITIATIVES, EVENTS, ARTICLES, SHEETS = 17_000, 6_000, 2_000, 1_000
ORGANISATIONS, CONSULTATIONS = 9_600, 200


def run() -> list[Figure]:
    migrated_database()
    fill_start = time.perf_counter()
    fill()
    figures = [Figure("observatory: fill to demo × 100", time.perf_counter() - fill_start, "s")]
    client = Client()
    rng = random.Random(9)
    keys = territory_keys(rng)
    for key in keys[:5]:  # warm the process (imports, templates), as a running server is
        client.get(f"/territoires/{key}/")
    pages = [timed_get(client, f"/territoires/{key}/") for key in keys]
    api = [timed_get(client, f"/api/v1/territories/{key}") for key in keys]
    from django.core.cache import cache

    cold, warm = [], []
    for key in ["region-24", "37", "45", "18", "28", "36", "41"]:
        cache.clear()
        cold.append(timed_get(client, f"/observatoire/?territoire={key}"))
        warm.append(timed_get(client, f"/observatoire/?territoire={key}"))
    figures += [
        Figure(f"territory page p95 server time ({len(keys)} territories)",
               percentile([r[0] for r in pages], 95), "ms", 80),
        Figure("territory page max SQL queries", max(r[2] for r in pages), "queries", 20),
        Figure("/api/v1/territories/<key> p95", percentile([r[0] for r in api], 95), "ms", 80),
        Figure("/api/v1/territories/<key> max SQL queries", max(r[2] for r in api), "queries"),
        Figure("/observatoire/ uncached, max", max(r[0] for r in cold), "ms"),
        Figure("/observatoire/ uncached, max SQL queries", max(r[2] for r in cold), "queries"),
        Figure("/observatoire/ cached, max", max(r[0] for r in warm), "ms", 80),
        Figure("/observatoire/ cached, max SQL queries", max(r[2] for r in warm), "queries", 8),
    ]  # fmt: skip
    return figures


def territory_keys(rng: random.Random) -> list[str]:
    from essaim.territories.models import EPCI, Commune

    communes = list(Commune.objects.filter(region_id="24").values_list("code", flat=True))
    epcis = list(EPCI.objects.filter(communes__region_id="24").distinct()
                 .values_list("code", flat=True))  # fmt: skip
    return (["region-24", "18", "28", "36", "37", "41", "45"] + rng.sample(epcis, 20)
            + rng.sample(communes, 60))  # fmt: skip


def fill() -> None:
    from bench import generate, generate_agenda
    from essaim.agenda.models import Event
    from essaim.initiatives import clustering
    from essaim.initiatives.models import Initiative

    ensure_reference_data()
    if (missing := INITIATIVES - Initiative.objects.count()) > 0:
        generate.generate(missing)
        clustering.rebuild()
    if (missing := EVENTS - Event.objects.count()) > 0:
        generate_agenda.generate(missing)
    add_pages()
    add_organisations_and_consultations()
    # As the daily task does in production (SQLite gathers no planner statistics itself).
    from essaim.common.tasks import refresh_planner_statistics

    refresh_planner_statistics.call()
    # PostgreSQL's autovacuum would analyse the freshly filled tables within minutes; a
    # benchmark run straight after the fill must not measure plans made without statistics.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def ensure_reference_data() -> None:
    from essaim.taxonomy.models import Theme
    from essaim.territories.loading import index_territories, load_territories
    from essaim.territories.models import Commune

    if not Commune.objects.exists():
        load_territories()
        index_territories()
    if not Theme.objects.exists():
        from essaim.taxonomy.services import load_themes

        load_themes()


def add_pages() -> None:
    """Articles and experience sheets under their index pages, spread over the region's
    communes and the themes (Wagtail pages: created one by one, as editors do)."""
    from wagtail.rich_text import RichText

    from essaim.experiences.models import ExperienceIndexPage, ExperiencePage
    from essaim.publications.models import ArticleIndexPage, ArticlePage
    from essaim.taxonomy.models import Theme
    from essaim.territories.models import Commune

    rng = random.Random(5)
    communes = list(Commune.objects.filter(region_id="24").values_list("code", flat=True))
    themes = list(Theme.objects.all())
    articles = ArticleIndexPage.objects.first()
    sheets = ExperienceIndexPage.objects.first()
    now = timezone.now()
    for n in range(ArticlePage.objects.count(), ARTICLES if articles else 0):
        page = ArticlePage(
            title=f"Article {n}", slug=f"bench-article-{n}", lead=f"Chapô {n}",
            territory_key=rng.choice(communes), first_published_at=now, live=True,
            body=[("paragraph", RichText(f"<p>Texte de l'article {n}.</p>"))],
        )  # fmt: skip
        page.themes.set(rng.sample(themes, 1))
        articles.add_child(instance=page)
    for n in range(ExperiencePage.objects.count(), SHEETS if sheets else 0):
        page = ExperiencePage(
            title=f"Expérience {n}", slug=f"bench-experience-{n}", summary=f"Résumé {n}",
            outcome="reussite", context=f"<p>Contexte {n}</p>", live=True,
            commune_id=rng.choice(communes), first_published_at=now,
        )  # fmt: skip
        page.themes = rng.sample(themes, 1)
        sheets.add_child(instance=page)


def add_organisations_and_consultations() -> None:
    """Published organisations in the région's communes, and consultations keyed by
    communes, EPCI, départements and the région (bulk: no moderation history needed)."""
    from datetime import timedelta

    from essaim.consultations.models import PHASE_STARTS, Consultation
    from essaim.directory.models import Organisation
    from essaim.moderation.models import Status
    from essaim.territories.models import Commune

    rng = random.Random(7)
    communes = list(Commune.objects.filter(region_id="24").values_list("code", flat=True))
    now = timezone.now()
    start = Organisation.objects.count()
    Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {n}", slug=f"bench-organisation-{n}",
                     summary=f"Résumé {n}", status=Status.PUBLISHED, published_at=now,
                     commune_id=rng.choice(communes))
        for n in range(start, ORGANISATIONS)
    )  # fmt: skip
    keys = ["region-24", "18", "28", "36", "37", "41", "45", *communes]
    phases = {name: now + timedelta(days=7 * (i - 1)) for i, (_p, name) in enumerate(PHASE_STARTS)}
    Consultation.objects.bulk_create(
        Consultation(title=f"Consultation {n}", slug=f"bench-consultation-{n}",
                     organiser_name="Banc d'essai", published=True,
                     territory_key=rng.choice(keys), **phases)
        for n in range(Consultation.objects.count(), CONSULTATIONS)
    )  # fmt: skip
