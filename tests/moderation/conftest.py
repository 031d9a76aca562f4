"""Fixtures for the moderation tests: proposals in each state, admin access, clean cache."""

import time

import pytest
from django.core.cache import cache

from essaim.moderation.antispam import TIMESTAMP_FIELD, issue_timestamp
from essaim.moderation.models import Status
from tests.testapp.models import Proposal


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate limit counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


def make_proposal(status=Status.PUBLISHED, **fields) -> Proposal:
    fields.setdefault("title", "Jardin partagé des Prébendes")
    fields.setdefault("body", "Un jardin ouvert à tous, le samedi matin.")
    return Proposal.objects.create(status=status, **fields)


@pytest.fixture
def published(db, owner):
    return make_proposal(Status.PUBLISHED, submitted_by=owner)


@pytest.fixture
def pending(db):
    return make_proposal(
        Status.PENDING, title="Repair café de Joué", submitter_email="anon@example.net"
    )


def form_data(**fields) -> dict:
    """A public form's data as a person who took ten seconds to fill it would send."""
    return {TIMESTAMP_FIELD: issue_timestamp(time.time() - 10), **fields}
