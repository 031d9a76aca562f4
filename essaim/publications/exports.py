"""The publications index as open data: one row per public article (streamed CSV).

The texts themselves stay on their pages (each under its own licence); the index gives
what a reuser needs to find and cite them.
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from essaim.common import exports
from essaim.publications.models import ArticleAuthor, ArticlePage
from essaim.taxonomy.models import Theme

COLUMNS = ("titre", "chapo", "auteurs", "organisation", "themes", "territoire",
           "code_territoire", "licence", "date", "temps_de_lecture", "url", "date_maj")  # fmt: skip


def public_articles() -> Iterator[ArticlePage]:
    queryset = ArticlePage.objects.visible().prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("pk", "slug")),
        Prefetch("authors", queryset=ArticleAuthor.objects.select_related("user")),
    )
    return exports.by_chunks(queryset)


def row(article: ArticlePage, base_url: str) -> dict:
    return {
        "titre": article.title, "chapo": article.lead,
        "auteurs": [author.name for author in article.authors.all()],
        "organisation": article.organisation_name,
        "themes": sorted(t.slug for t in article.themes.all()),
        "territoire": article.territory_label, "code_territoire": article.territory_key,
        "licence": article.licence, "date": article.date.isoformat() if article.date else "",
        "temps_de_lecture": article.reading_minutes, "url": base_url + article.url,
        "date_maj": (article.last_published_at or article.latest_revision_created_at).isoformat(),
    }  # fmt: skip


def csv_lines(base_url: str) -> Iterator[str]:
    return exports.csv_lines(COLUMNS, (row(a, base_url) for a in public_articles()))
