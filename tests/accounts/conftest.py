import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts attempts in the cache: each test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()
