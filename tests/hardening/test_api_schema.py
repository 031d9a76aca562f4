"""Schema-driven fuzzing of the public API (schemathesis): for generated requests to every
operation of /api/v1/openapi.json, no server error and every response matches the schema
(status code, content type, body).

Runs in-process through the WSGI application, on the test database with a few public and
non-public records, so that list responses carry real items.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from essaim.moderation.models import Status
from essaim.wsgi import application
from tests.hardening.fuzz import HARDENING_FACTOR
from tests.hardening.test_no_leak import make_event, make_initiative

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]  # fmt: skip
EXAMPLES = 30


@pytest.fixture
def keep_test_connection():
    """Requests go through the WSGI application, whose request signals would close the
    test's database connection (and its transaction) on PostgreSQL; Django's own test
    client disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, keep_test_connection):
    from essaim.taxonomy.models import Theme

    theme = Theme.objects.create(name="Quetzalthème", slug="quetzal-theme")
    for status in (Status.PUBLISHED, Status.PENDING):
        make_initiative(f"q{status}z", theme, status=status)
        make_event(f"q{status}z", theme, status=status)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def examples() -> int:
    profile = settings.get_current_profile_name()
    return EXAMPLES * (HARDENING_FACTOR if profile == "hardening" else 1)


def test_api_answers_within_its_schema_and_never_fails(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5  # the map, initiatives and events endpoints at least

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=examples(), deadline=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def answers_within_schema(case):
            case.call_and_validate(checks=CHECKS)

        answers_within_schema()
