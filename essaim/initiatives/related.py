"""Sections other modules add to an initiative's page ("Dans la veille", experiences…).

The initiatives app imports no module; a module that knows about initiatives registers a
section from its ``AppConfig.ready()``:

    related.register(Section("veille/includes/initiative_section.html", mentions_of))

``context(initiative) -> dict`` runs the module's queries (public rows only) and returns
``{}`` to hide the section. The template receives the dict as ``section``. Keep each
section to a bounded number of queries: the detail page has a query-count test.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_sections: list["Section"] = []


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[[Any], dict]


def register(section: Section) -> None:
    if section not in _sections:
        _sections.append(section)


def sections_of(initiative) -> list[tuple[str, dict]]:
    """(template, data) of every registered section with something to show."""
    shown = []
    for section in _sections:
        if data := section.context(initiative):
            shown.append((section.template, data))
    return shown
