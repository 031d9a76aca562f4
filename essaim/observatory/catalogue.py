"""The open-data catalogue: every public dataset, its licence, formats and freshness.

``/donnees/`` lists them for people; ``/donnees/catalogue.jsonld`` describes them in DCAT
(W3C Data Catalog Vocabulary, the terms DCAT-AP and data.gouv.fr harvest) for portals.
Each module's downloads are its own views (streamed, public rows only); a dataset here
only names them. To add one: a ``Dataset`` in ``DATASETS`` with a ``stats`` function
returning (rows, last change) from one aggregate query.

Counting a million rows costs a scan: the figures are cached ``STATS_SECONDS``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essaim.common import licences

STATS_SECONDS = 600


@dataclass(frozen=True)
class Distribution:
    format: str  # what people read: "CSV", "GeoJSON"…
    media_type: str
    url_name: str

    @property
    def path(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    licence: str  # a licences.Licence value
    keywords: tuple[str, ...]
    landing: str  # a URL name, or a path for pages of Wagtail's tree ("/articles/")
    distributions: tuple[Distribution, ...]
    stats: Callable[[], tuple[int, datetime | None]]

    @property
    def licence_url(self) -> str:
        return licences.url(self.licence)

    @property
    def licence_label(self) -> str:
        return licences.label(self.licence)

    @property
    def landing_path(self) -> str:
        return self.landing if self.landing.startswith("/") else reverse(self.landing)


CSV = "text/csv"


def public_stats(queryset: Callable[[], QuerySet], updated_field: str | None):
    """A dataset's ``stats``: (rows, last update) of what ``queryset()`` returns — the
    module's public rows — in one aggregate query (imports deferred to the call)."""

    def stats():
        aggregates = {"rows": Count("pk")}
        if updated_field:
            aggregates["last"] = Max(updated_field)
        found = queryset().aggregate(**aggregates)
        return found["rows"], found.get("last")

    return stats


def _territory_stats():
    from essaim.territories.models import EPCI, Commune, Departement, Region

    rows = sum(model.objects.count() for model in (Region, Departement, EPCI, Commune))
    return rows, None  # the bundled official data: its vintage is in data/README.md


def _public(label: str) -> Callable[[], QuerySet]:
    return lambda: apps.get_model(label).objects.public()


_initiative_stats = public_stats(_public("initiatives.Initiative"), "updated_at")
_event_stats = public_stats(_public("agenda.Event"), "updated_at")
_pick_stats = public_stats(_public("veille.Pick"), "picked_at")
_consultation_stats = public_stats(_public("consultations.Proposal"), "updated_at")
_organisation_stats = public_stats(_public("directory.Organisation"), "updated_at")
# Pages: live and without view restriction.
_article_stats = public_stats(
    lambda: apps.get_model("publications.ArticlePage").objects.visible(), "last_published_at"
)
_experience_stats = public_stats(
    lambda: apps.get_model("experiences.ExperiencePage").objects.live().public(),
    "last_published_at",
)
# Campaigns publish aggregates, not rows of their own: no update date to show.
_evaluation_stats = public_stats(_public("evaluation.Campaign"), None)


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        slug="initiatives",
        title=_("Initiatives de l'économie sociale et solidaire"),
        description=_(
            "Les initiatives publiées sur la carte contributive : nom, description, thèmes, "
            "adresse, commune (code INSEE), coordonnées, contacts rendus publics, horaires, "
            "forme juridique, SIRET/RNA. Seules les fiches validées y figurent."
        ),
        licence=licences.Licence.ODBL,
        keywords=("économie sociale et solidaire", "initiatives", "carte"),
        landing="initiatives:map",
        distributions=(
            Distribution("CSV", CSV, "initiatives:download-csv"),
            Distribution("GeoJSON", "application/geo+json", "initiatives:download-geojson"),
            Distribution("JSON-LD", "application/ld+json", "initiatives:download-jsonld"),
        ),
        stats=_initiative_stats,
    ),
    Dataset(
        slug="evenements",
        title=_("Agenda des événements et formations"),
        description=_(
            "Les événements publiés, passés et à venir : dates avec fuseau horaire et "
            "récurrences, lieu ou lien en ligne, thèmes, accessibilité, tarif, inscription."
        ),
        licence=licences.TEXT_DEFAULT,
        keywords=("agenda", "événements", "formations"),
        landing="agenda:list",
        distributions=(
            Distribution("iCalendar", "text/calendar", "agenda_feeds:download-ics"),
            Distribution("CSV", CSV, "agenda_feeds:download-csv"),
        ),
        stats=_event_stats,
    ),
    Dataset(
        slug="articles",
        title=_("Index des publications"),
        description=_(
            "Les articles publiés : titre, chapô, auteurs, thèmes, territoire, licence, date "
            "et adresse. Chaque texte reste sur sa page, sous sa propre licence."
        ),
        licence=licences.TEXT_DEFAULT,
        keywords=("publications", "articles", "dossiers"),
        landing="/articles/",
        distributions=(
            Distribution("CSV", CSV, "publications:download-csv"),
            Distribution("RSS", "application/rss+xml", "publications:rss"),
            Distribution("Atom", "application/atom+xml", "publications:atom"),
        ),
        stats=_article_stats,
    ),
    Dataset(
        slug="experiences",
        title=_("Expériences documentées"),
        description=_(
            "Les fiches d'expérience publiées, section par section : contexte, acteurs, "
            "moyens et budget, résultats, ce qui a marché ou non, enseignements, conditions "
            "pour reproduire ailleurs."
        ),
        licence=licences.TEXT_DEFAULT,
        keywords=("expériences", "capitalisation", "essaimage"),
        landing="/experiences/",
        distributions=(Distribution("CSV", CSV, "experiences:download-csv"),),
        stats=_experience_stats,
    ),
    Dataset(
        slug="veille",
        title=_("Sélection de la veille"),
        description=_(
            "Les articles retenus par l'équipe du réseau dans sa veille, avec leur "
            "commentaire et leurs thèmes ; les sources publiques suivies, en OPML."
        ),
        licence=licences.TEXT_DEFAULT,
        keywords=("veille", "actualités"),
        landing="veille:picks",
        distributions=(
            Distribution("CSV", CSV, "veille:download-csv"),
            Distribution("RSS", "application/rss+xml", "veille:rss"),
            Distribution("OPML", "text/x-opml", "veille:sources-opml"),
        ),
        stats=_pick_stats,
    ),
    Dataset(
        slug="territoires",
        title=_("Territoires"),
        description=_(
            "Régions, départements, intercommunalités (EPCI) et communes avec leurs codes "
            "officiels, population et coordonnées : la référence des codes INSEE des autres "
            "jeux de données (Code officiel géographique, via Etalab)."
        ),
        licence=licences.Licence.ETALAB,
        keywords=("territoires", "communes", "codes INSEE"),
        landing="observatory:data",
        distributions=(Distribution("CSV", CSV, "territories:download-csv"),),
        stats=_territory_stats,
    ),
    Dataset(
        slug="evaluation-agregats",
        title=_("Auto-évaluation : résultats agrégés des campagnes"),
        description=_(
            "Pour chaque campagne d'auto-évaluation du réseau : médiane et quartiles des "
            "scores par axe et des niveaux des critères du socle commun, pour l'ensemble des "
            "projets, par thème et par département. Un groupe n'apparaît qu'à partir de cinq "
            "projets : aucune donnée d'un projet isolé."
        ),
        licence=licences.Licence.ODBL,
        keywords=("évaluation", "utilité sociale", "amélioration continue"),
        landing="evaluation:campaigns",
        distributions=(Distribution("CSV", CSV, "evaluation:aggregates-csv"),),
        stats=_evaluation_stats,
    ),
    Dataset(
        slug="consultations",
        title=_("Propositions des consultations et réponses officielles"),
        description=_(
            "Les propositions publiées dans chaque consultation : titre, texte, thèmes, "
            "commune, nombre de soutiens et réponse officielle de l'organisateur (retenue, "
            "retenue en partie, non retenue, en cours d'examen) avec son explication ; et les "
            "commentaires publiés de la discussion, sans leurs auteur·rices."
        ),
        licence=licences.TEXT_DEFAULT,
        keywords=("consultations", "participation citoyenne", "propositions"),
        landing="consultations:list",
        distributions=(
            Distribution("CSV", CSV, "consultations:download-csv"),
            Distribution("CSV", CSV, "consultations:download-comments-csv"),
        ),
        stats=_consultation_stats,
    ),
    Dataset(
        slug="organisations",
        title=_("Annuaire des organisations"),
        description=_(
            "Les organisations publiées dans l'annuaire : nom, type, forme juridique, "
            "SIRET/RNA, adresse, commune (code INSEE), coordonnées, thèmes, site web, contacts "
            "rendus publics ; aussi au format « structures » de data·inclusion."
        ),
        licence=licences.Licence.ODBL,
        keywords=("annuaire", "organisations", "économie sociale et solidaire"),
        landing="directory:list",
        distributions=(
            Distribution("CSV", CSV, "directory:download-organisations-csv"),
            Distribution("JSON", "application/json", "directory:download-organisations-json"),
            Distribution(
                "JSON-LD", "application/ld+json", "directory:download-organisations-jsonld"
            ),
            Distribution(
                "CSV data·inclusion", CSV, "directory:download-structures-data-inclusion-csv"
            ),
            Distribution(
                "JSON data·inclusion",
                "application/json",
                "directory:download-structures-data-inclusion-json",
            ),
        ),
        stats=_organisation_stats,
    ),
)


def datasets_with_stats() -> list[tuple[Dataset, int, datetime | None]]:
    """Each dataset with its row count and last change (cached STATS_SECONDS)."""
    stats = cache.get("observatory:catalogue-stats")
    if stats is None:
        stats = {dataset.slug: dataset.stats() for dataset in DATASETS}
        cache.set("observatory:catalogue-stats", stats, STATS_SECONDS)
    return [(dataset, *stats[dataset.slug]) for dataset in DATASETS]
