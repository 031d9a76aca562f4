"""Uncached detail and list pages of every module (issue #13: ≤ 15 SQL queries, p95 ≤ 60
ms server time) at the demo's volume × 100 — the database ``bench observatory`` fills
(reused when it is there). The whole-page cache is off (bench/settings.py): these are the
pages being built.
"""

from django.test import Client

from bench.harness import migrated_database, timed_get
from bench.results import Figure, percentile

REPEAT = 5


def run() -> list[Figure]:
    from bench.bench_observatory import fill

    migrated_database()
    fill()
    client = Client()
    figures, times, queries = [], [], []
    for name, url in pages():
        for _ in range(2):  # warm the process (templates, imports), as a server is
            client.get(url)
        samples = [timed_get(client, url) for _ in range(REPEAT)]
        worst = max(s[2] for s in samples)
        p95 = percentile([s[0] for s in samples], 95)
        figures.append(Figure(f"{name} ({url[:40]}) p95, {worst} queries", p95, "ms", 60))
        times += [s[0] for s in samples]
        queries.append(worst)
    figures += [
        Figure(f"detail and list pages: p95 over {len(queries)} pages", percentile(times, 95),
               "ms", 60),
        Figure("detail and list pages: most SQL queries", max(queries), "queries", 15),
    ]  # fmt: skip
    return figures + theme_page(client)


def theme_page(client) -> list[Figure]:
    """A theme page gathers every module, as a territory page does: issue #9's budget
    (≤ 20 queries, p95 ≤ 80 ms) rather than a list's."""
    from essaim.taxonomy.models import Theme

    theme = Theme.objects.public().filter(parent=None).order_by("pk").first()
    url = theme.get_absolute_url()
    client.get(url)
    samples = [timed_get(client, url) for _ in range(REPEAT)]
    return [
        Figure(f"theme page ({url}) p95", percentile([s[0] for s in samples], 95), "ms", 80),
        Figure("theme page SQL queries", max(s[2] for s in samples), "queries", 20),
    ]


def pages() -> list[tuple[str, str]]:
    """One list and one detail page of each module, the detail of a public row."""
    from essaim.agenda.models import Event
    from essaim.consultations.models import Consultation
    from essaim.directory.models import Organisation
    from essaim.experiences.models import ExperiencePage
    from essaim.initiatives.models import Initiative
    from essaim.publications.models import ArticlePage

    first = {
        "initiative": Initiative.objects.public().order_by("pk").first(),
        "event": Event.objects.public().order_by("pk").first(),
        "article": ArticlePage.objects.visible().order_by("pk").first(),
        "experience sheet": ExperiencePage.objects.live().public().order_by("pk").first(),
        "organisation": Organisation.objects.public().order_by("pk").first(),
        "consultation": Consultation.objects.public().order_by("pk").first(),
    }
    found = [("initiatives list", "/initiatives/"), ("agenda", "/agenda/"),
             ("articles list", "/articles/"), ("experiences list", "/experiences/"),
             ("directory", "/annuaire/"), ("consultations list", "/consultations/"),
             ("veille", "/veille/"), ("search", "/recherche/?q=solidaire")]  # fmt: skip
    found += [(name, row.get_url() if hasattr(row, "get_url") else row.get_absolute_url())
              for name, row in first.items() if row is not None]  # fmt: skip
    return found
