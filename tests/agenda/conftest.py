"""Fixtures for the agenda tests: events in each state, built through the real models."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.text import slugify

from essaim.agenda.models import Event
from essaim.moderation.models import Status
from essaim.territories.models import Commune

PARIS = ZoneInfo("Europe/Paris")
TOURS = "37261"


def paris(*args) -> datetime:
    """An aware Europe/Paris wall-clock time: paris(2027, 3, 23, 18, 0)."""
    return datetime(*args, tzinfo=PARIS)


def make_event(title="Atelier réparation vélo", *, start=None, end=None, status=Status.PUBLISHED,
               commune=TOURS, themes=(), **fields) -> Event:  # fmt: skip
    place = Commune.objects.get(pk=commune) if commune else None
    start = start or paris(2027, 3, 16, 18, 0)
    fields.setdefault("slug", slugify(title))
    fields.setdefault("summary", "On répare ensemble, outils fournis.")
    fields.setdefault("latitude", place.latitude if place else None)
    fields.setdefault("longitude", place.longitude if place else None)
    if status == Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    event = Event.objects.create(
        title=title, start=start, end=end or start.replace(hour=start.hour + 2),
        status=status, commune=place, **fields,
    )  # fmt: skip
    event.themes.set(themes)
    return event
