"""Fixtures for the directory tests: themes, organisations in each state, people, offers."""

import time

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.text import slugify

from essaim.directory.models import Membership, OfferNeed, Organisation, PersonProfile
from essaim.moderation.antispam import TIMESTAMP_FIELD, issue_timestamp
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune

TOURS = "37261"
JOUE = "37122"  # Joué-lès-Tours, next to Tours
ORLEANS = "45234"
SECRET_EMAIL = "secret-contact@ruche.example.org"
VALID_SIRET = "73282932000074"  # Luhn-valid


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


def make_organisation(
    name="La Ruche Solidaire",
    status=Status.PUBLISHED,
    commune=TOURS,
    themes=(),
    admins=(),
    **fields,
) -> Organisation:
    place = Commune.objects.get(pk=commune) if commune else None
    fields.setdefault("slug", slugify(name))
    fields.setdefault("summary", "Une association qui rassemble les habitants.")
    fields.setdefault("latitude", place.latitude if place else None)
    fields.setdefault("longitude", place.longitude if place else None)
    if status == Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    organisation = Organisation.objects.create(name=name, status=status, commune=place, **fields)
    organisation.themes.set(themes)
    for user in admins:
        Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.ADMIN)
    return organisation


def make_profile(user, name="Dominique Expert", listed=True, visibility=None, **fields):
    fields.setdefault("slug", slugify(name))
    fields.setdefault("bio", "Comptable bénévole depuis dix ans.")
    fields.setdefault("skills", "comptabilité, gestion")
    profile = PersonProfile.objects.create(
        user=user, name=name, listed=listed, visibility=visibility or {}, **fields
    )
    return profile


def make_item(
    direction,
    title,
    *,
    organisation=None,
    person=None,
    kind="locaux",
    themes=(),
    commune=TOURS,
    status=Status.PUBLISHED,
    **fields,
) -> OfferNeed:
    item = OfferNeed.objects.create(
        direction=direction,
        kind=kind,
        title=title,
        organisation=organisation,
        person=person,
        commune=Commune.objects.get(pk=commune) if commune else None,
        status=status,
        published_at=timezone.now(),
        **fields,
    )
    item.themes.set(themes)
    return item


@pytest.fixture
def organisation(db, owner):
    return make_organisation(email=SECRET_EMAIL, admins=[owner], siret=VALID_SIRET)


def form_data(**fields) -> dict:
    """Fields of an anti-spam form, displayed long enough ago."""
    return {TIMESTAMP_FIELD: issue_timestamp(time.time() - 60), **fields}
