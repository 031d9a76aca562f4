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


def _initiatives(subject, initiatives, map_query: str) -> dict:
    """Count, map link and first few public initiatives of a territory or theme."""
    from django.urls import reverse

    count = initiatives.count()
    if not count:
        return {}
    first = initiatives.select_related("commune").order_by("name")[:5]
    return {
        "count": count,
        "items": list(first),
        "map_url": f"{reverse('initiatives:map')}?{map_query}",
    }


def initiatives_of_territory(territory) -> dict:
    from essaim.initiatives.models import Initiative
    from essaim.territories.territory import commune_filter

    public = Initiative.objects.public().filter(commune_filter(territory))
    return _initiatives(territory, public, f"territoire={territory.key}")


def initiatives_of_theme(theme) -> dict:
    from essaim.initiatives.models import Initiative

    ids = [theme.pk, *theme.children.values_list("pk", flat=True)]
    public = Initiative.objects.public().filter(
        pk__in=Initiative.themes.through.objects.filter(theme_id__in=ids).values("initiative_id")
    )
    return _initiatives(theme, public, f"theme={theme.slug}")


INITIATIVES = "initiatives/sections/initiatives.html"
TERRITORY_SECTIONS: list[Section] = [Section(INITIATIVES, initiatives_of_territory)]
THEME_SECTIONS: list[Section] = [Section(INITIATIVES, initiatives_of_theme)]


def render_sections(sections: list[Section], subject) -> list[dict]:
    """The sections that have something to show: [{"template": …, **context}]."""
    rendered = []
    for section in sections:
        if data := section.context(subject):
            rendered.append({"template": section.template, **data})
    return rendered
