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


TERRITORY_SECTIONS: list[Section] = []
THEME_SECTIONS: list[Section] = []


def render_sections(sections: list[Section], subject) -> list[dict]:
    """The sections that have something to show: [{"template": …, **context}]."""
    rendered = []
    for section in sections:
        if data := section.context(subject):
            rendered.append({"template": section.template, **data})
    return rendered
