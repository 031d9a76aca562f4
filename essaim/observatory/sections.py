"""The module sections of territory and theme pages.

Territory and theme pages gather what every module knows about a place or a theme.
``territories`` and ``taxonomy`` import no module, so the sections are registered here,
in ``observatory``, which may read across modules. To add one, a module needs:

1. one template (``<module>/includes/territory_section.html``), which receives its data
   as ``section`` (``section.title``, ``section.items``… whatever ``context`` returned);
2. one entry below: ``Section("<module>/includes/territory_section.html", context)``,
   where ``context(territory) -> dict`` runs the module's queries (``public()`` rows
   filtered with ``essaim.territories.territory.commune_filter(territory)``, or by theme),
   returning ``{}`` to hide the section when there is nothing to show.

Pages render the sections in list order; while none has content they show the
"Bientôt ici" panel. Keep each section to a bounded number of queries (the pages have
query-count tests): no query per row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[[Any], dict]


def _total(shown: list, queryset, limit: int) -> int:
    """How many rows ``queryset`` holds, knowing its first ``limit`` are ``shown``: a
    count query only when the page is full."""
    return len(shown) if len(shown) < limit else queryset.count()


def _initiatives(filters, map_query: str) -> dict:
    """Count, map link and newest public initiatives of a territory or theme (the count
    comes from the map's pre-aggregated cells: cheap at a million initiatives)."""
    from django.urls import reverse

    from essaim.initiatives import clustering

    count = clustering.count_public(filters)
    if not count:
        return {}
    newest = clustering.newest_on_map(filters, 5).select_related("commune")
    map_url = f"{reverse('initiatives:map')}?{map_query}"
    return {"count": count, "items": list(newest), "map_url": map_url}


def initiatives_of_territory(territory) -> dict:
    from essaim.initiatives.clustering import MapFilter

    return _initiatives(MapFilter(territory=territory), f"territoire={territory.key}")


def initiatives_of_theme(theme) -> dict:
    from essaim.initiatives.clustering import MapFilter

    return _initiatives(MapFilter(theme=theme), f"theme={theme.slug}")


def _events(filters, query: str) -> dict:
    """The next public dates of a territory or theme (one query: events and communes
    joined), with a link to the filtered agenda."""
    from django.urls import reverse

    from essaim.agenda import filters as agenda_filters

    items = list(agenda_filters.occurrences(filters)[:EVENTS_SHOWN])
    if not items:
        return {}
    return {"items": items, "agenda_url": f"{reverse('agenda:list')}?{query}"}


def events_of_territory(territory) -> dict:
    from essaim.agenda.filters import AgendaFilters

    return _events(AgendaFilters(territory=territory), f"territoire={territory.key}")


def events_of_theme(theme) -> dict:
    from essaim.agenda.filters import AgendaFilters

    return _events(AgendaFilters(theme=theme), f"theme={theme.slug}")


def _picks(picks, theme=None) -> dict:
    picks = list(picks.select_related("item__source").order_by("-picked_at", "-pk")[:5])
    return {"items": picks, "theme": theme} if picks else {}


def veille_picks_of_theme(theme) -> dict:
    """The latest public picks of a theme (or its sub-themes): two queries."""
    from essaim.veille.models import Pick

    ids = theme.family_ids()
    return _picks(Pick.objects.public().filter(themes__in=ids).distinct(), theme)


def veille_picks_of_territory(territory) -> dict:
    """The watch has no territory: its latest picks belong to the home région's page."""
    from django.conf import settings

    from essaim.territories.models import Level
    from essaim.veille.models import Pick

    if territory.level != Level.REGION or territory.code != settings.ESSAIM_REGION:
        return {}
    return _picks(Pick.objects.public())


def _publications(articles_filters, dossiers, list_query: str) -> dict:
    """The newest public articles and the dossiers of a territory or theme (three
    queries: articles, their prefetched images and authors are not needed here)."""
    from essaim.publications import listing

    articles = list(listing.articles(articles_filters).prefetch_related(None)[:5])
    dossiers = list(dossiers.visible().order_by("title")[:5])
    if not articles and not dossiers:
        return {}
    return {"articles": articles, "dossiers": dossiers, "list_url": f"/articles/?{list_query}"}


def publications_of_territory(territory) -> dict:
    from essaim.publications.listing import ArticleFilters
    from essaim.publications.models import DossierPage

    return _publications(ArticleFilters(territory=territory),
                         DossierPage.objects.in_territory(territory),
                         f"territoire={territory.key}")  # fmt: skip


def publications_of_theme(theme) -> dict:
    from essaim.publications.listing import ArticleFilters
    from essaim.publications.models import DossierPage

    ids = theme.family_ids()
    return _publications(ArticleFilters(theme=theme), DossierPage.objects.filter(theme__in=ids),
                         f"theme={theme.slug}")  # fmt: skip


PUBLICATIONS = "publications/sections/publications.html"


def _experiences(sheets, query: str) -> dict:
    """The latest live, public experience sheets of a territory or theme: two queries."""
    from essaim.experiences.models import ExperienceIndexPage

    sheets = sheets.select_related("commune").order_by("-first_published_at", "-pk")
    items = list(sheets[:EXPERIENCES_SHOWN])
    if not items:
        return {}
    index = ExperienceIndexPage.objects.live().first()
    index_url = index.get_url() if index else None
    list_url = f"{index_url}?{query}" if index_url else ""
    return {"items": items, "count": _total(items, sheets, EXPERIENCES_SHOWN),
            "list_url": list_url}  # fmt: skip


def experiences_of_territory(territory) -> dict:
    from essaim.experiences.models import ExperiencePage
    from essaim.territories.territory import commune_filter

    sheets = ExperiencePage.objects.live().public().filter(commune_filter(territory))
    return _experiences(sheets, f"territoire={territory.key}")


def experiences_of_theme(theme) -> dict:
    from essaim.experiences.models import ExperiencePage

    ids = theme.family_ids()
    sheets = ExperiencePage.objects.live().public().filter(themes__in=ids).distinct()
    return _experiences(sheets, f"theme={theme.slug}")


def evaluation_of_theme(theme) -> dict:
    from essaim.evaluation.sections import aggregates_of_theme

    return aggregates_of_theme(theme)


def _consultations(found) -> dict:
    items = list(found.order_by("-information_starts_at", "pk")[:CONSULTATIONS_SHOWN])
    return {"items": items} if items else {}


def consultations_of_theme(theme) -> dict:
    """Published consultations on this theme or its sub-themes (two queries)."""
    from essaim.consultations.models import Consultation

    ids = theme.family_ids()
    return _consultations(Consultation.objects.public().filter(themes__in=ids).distinct())


def consultations_of_territory(territory) -> dict:
    """Published consultations about this place, around it or inside it (one query)."""
    from essaim.consultations.models import Consultation

    return _consultations(Consultation.objects.public().concerning(territory))


def evaluation_of_territory(territory) -> dict:
    from essaim.evaluation.sections import aggregates_of_territory

    return aggregates_of_territory(territory)


EVENTS_SHOWN = 5
EXPERIENCES_SHOWN = 5
CONSULTATIONS_SHOWN = 5
CONSULTATIONS = "consultations/sections/consultations.html"
INITIATIVES = "initiatives/sections/initiatives.html"
EVENTS = "agenda/sections/events.html"
VEILLE = "veille/sections/picks.html"
EXPERIENCES = "experiences/sections/experiences.html"
EVALUATION = "evaluation/sections/aggregates.html"
TERRITORY_SECTIONS: list[Section] = [
    Section(INITIATIVES, initiatives_of_territory),
    Section(EVENTS, events_of_territory),
    Section(PUBLICATIONS, publications_of_territory),
    Section(EXPERIENCES, experiences_of_territory),
    Section(VEILLE, veille_picks_of_territory),
]
THEME_SECTIONS: list[Section] = [
    Section(INITIATIVES, initiatives_of_theme),
    Section(EVENTS, events_of_theme),
    Section(VEILLE, veille_picks_of_theme),
    Section(PUBLICATIONS, publications_of_theme),
    Section(EXPERIENCES, experiences_of_theme),
    Section(EVALUATION, evaluation_of_theme),
    Section(CONSULTATIONS, consultations_of_theme),
]


def _organisations(organisations, query: str) -> dict:
    """The public organisations of a territory or theme (one query; a count past five)."""
    from django.urls import reverse

    organisations = organisations.select_related("commune").order_by("name", "pk")
    items = list(organisations[:ORGANISATIONS_SHOWN])
    if not items:
        return {}
    count = _total(items, organisations, ORGANISATIONS_SHOWN)
    return {"items": items, "count": count,
            "list_url": f"{reverse('directory:list')}?{query}"}  # fmt: skip


def organisations_of_territory(territory) -> dict:
    from essaim.directory.models import Organisation
    from essaim.territories.territory import commune_filter

    found = Organisation.objects.public().filter(commune_filter(territory))
    return _organisations(found, f"territoire={territory.key}")


def organisations_of_theme(theme) -> dict:
    from essaim.directory.models import Organisation

    ids = [theme.pk, *theme.children.values_list("pk", flat=True)]
    found = Organisation.objects.public().filter(themes__in=ids).distinct()
    return _organisations(found, f"theme={theme.slug}")


def facilitators_of_territory(territory) -> dict:
    """Who to write to for being put in touch here (a relay form each; no address)."""
    from essaim.directory.services import facilitators_of

    people = list(facilitators_of(territory)[:5])
    return {"items": people} if people else {}


ORGANISATIONS_SHOWN = 5
ORGANISATIONS = "directory/sections/organisations.html"
FACILITATORS = "directory/sections/facilitators.html"
TERRITORY_SECTIONS += [
    Section(ORGANISATIONS, organisations_of_territory),
    Section(FACILITATORS, facilitators_of_territory),
    Section(EVALUATION, evaluation_of_territory),
    Section(CONSULTATIONS, consultations_of_territory),
]
THEME_SECTIONS += [Section(ORGANISATIONS, organisations_of_theme)]


def render_sections(sections: list[Section], subject) -> list[dict]:
    """The sections that have something to show: [{"template": …, **context}]."""
    rendered = []
    for section in sections:
        if data := section.context(subject):
            rendered.append({"template": section.template, **data})
    return rendered
