"""Shared fixtures: the four personas every permission test uses.

- owner: contributed the content under test;
- member: a signed-in member organisation, not the owner;
- moderator: reviews contributions;
- outsider: signed in, no relation to the content.
"""

import pytest
from django.contrib.auth.models import Group

from essaim.accounts.roles import Role

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Loads the real territory tree once into the test database.

    Costs ~1.3 s on SQLite, ~5 s on PostgreSQL.

    Every test then sees every commune, EPCI, département and région. Tests marked
    ``transaction=True`` flush the tables afterwards: they must not rely on it.
    """
    from essaim.territories.loading import index_territories, load_territories

    with django_db_blocker.unblock():
        load_territories()
        index_territories()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts and ends with an empty cache: rate-limit counters, cached
    dashboards and aggregates never carry over from one test to the next."""
    from django.core.cache import cache

    from essaim.search import matching

    cache.clear()
    matching.forget()  # the search's compiled windows and copy of PostgreSQL's statistics
    yield
    cache.clear()
    matching.forget()


def make_user(django_user_model, email: str, *roles: Role, **extra):
    user = django_user_model.objects.create_user(email=email, password=PASSWORD, **extra)
    for role in roles:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def owner(db, django_user_model):
    return make_user(django_user_model, "alice@example.org", display_name="Alice")


@pytest.fixture
def member(db, django_user_model):
    return make_user(django_user_model, "bob@example.org", Role.MEMBER, display_name="Bob")


@pytest.fixture
def moderator(db, django_user_model):
    return make_user(
        django_user_model, "mona@example.org", Role.MODERATOR, display_name="Mona", is_staff=True
    )


@pytest.fixture
def outsider(db, django_user_model):
    return make_user(django_user_model, "charlie@example.org", display_name="Charlie")
