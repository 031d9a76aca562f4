"""Fixtures for the initiatives tests: themes, initiatives in each state, a clean cache."""

import time

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.text import slugify

from essaim.initiatives.models import Initiative
from essaim.moderation.antispam import TIMESTAMP_FIELD, issue_timestamp
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune

TOURS = "37261"
SECRET_EMAIL = "secret-contact@jardin.example.org"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The anti-spam rate limit counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def themes(db):
    food = Theme.objects.create(name="Alimentation", slug="alimentation", position=1)
    amap = Theme.objects.create(name="AMAP", slug="amap", parent=food)
    energy = Theme.objects.create(name="Énergie", slug="energie", position=2)
    return {"food": food, "amap": amap, "energy": energy}


def make_initiative(name="Jardin partagé des Prébendes", status=Status.PUBLISHED, commune=TOURS,
                    themes=(), **fields) -> Initiative:  # fmt: skip
    place = Commune.objects.get(pk=commune) if commune else None
    fields.setdefault("slug", slugify(name))
    fields.setdefault("summary", "Un jardin ouvert à tous, le samedi matin.")
    fields.setdefault("latitude", place.latitude if place else None)
    fields.setdefault("longitude", place.longitude if place else None)
    if status == Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    if status == Status.PENDING:
        fields.setdefault("submitted_at", timezone.now())
    initiative = Initiative.objects.create(name=name, status=status, commune=place, **fields)
    initiative.themes.set(themes)
    return initiative


@pytest.fixture
def published(db, owner):
    return make_initiative(owner=owner, email=SECRET_EMAIL, submitted_by=owner)


@pytest.fixture
def pending(db):
    return make_initiative("Repair café de Joué", Status.PENDING, commune="37122",
                           submitter_email="anon@example.net")  # fmt: skip


def form_data(**fields) -> dict:
    """A public form's data as a person who took ten seconds to fill it would send."""
    return {TIMESTAMP_FIELD: issue_timestamp(time.time() - 10), **fields}
