"""schema.org JSON-LD of an experience sheet: a HowTo (a CreativeWork) whose steps are the
sheet's timeline, embedded in its detail page."""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

from essaim.common import licences
from essaim.experiences.models import ExperiencePage

# "</script>" or "<!--" inside a string must not end the script element.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script_json(data: dict) -> str:
    """JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return mark_safe(text)  # noqa: S308 (every "<", ">" and "&" is escaped above)


def experience_document(page: ExperiencePage, *, url: str, themes, initiative_url: str = "",
                        ) -> dict:  # fmt: skip
    data = {
        "@context": "https://schema.org",
        "@type": ["HowTo", "CreativeWork"],
        "@id": f"{url}#experience",
        "url": url,
        "name": page.title,
        "abstract": page.summary,
        "inLanguage": "fr",
        "about": [{"@type": "DefinedTerm", "name": theme.name} for theme in themes],
        "author": _author(page),
        "license": licences.url(page.licence),
        "creativeWorkStatus": page.get_outcome_display(),
    }
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if page.first_published_at:
        data["datePublished"] = page.first_published_at.isoformat()
    if page.commune_id:
        data["spatialCoverage"] = _place(page.commune)
    if steps := [_step(position, step.value) for position, step in enumerate(page.timeline, 1)]:
        data["step"] = steps
    if initiative_url:
        data["mentions"] = {"@type": "Organization", "url": initiative_url,
                            "name": page.initiative.name}  # fmt: skip
    return data


def _author(page: ExperiencePage) -> dict:
    # An organisation, never a person: the sheet is the team's work, and names of people
    # stay on the history page only.
    return {"@type": "Organization", "name": page.organisation_name or settings.ESSAIM_SITE_NAME}


def _place(commune) -> dict:
    place = {"@type": "Place", "name": commune.name,
             "address": {"@type": "PostalAddress", "addressLocality": commune.name,
                         "addressCountry": "FR"}}  # fmt: skip
    if commune.latitude is not None and commune.longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": commune.latitude,
                        "longitude": commune.longitude}  # fmt: skip
    return place


def _step(position: int, value) -> dict:
    name = f"{value['period']} — {value['title']}"
    text = value["text"] or value["title"]
    return {"@type": "HowToStep", "position": position, "name": name, "text": text}
