"""Supports under concurrency (PostgreSQL): many requests of one person at the same moment
never exceed the consultation's maximum, nor give two supports to one proposal.

Threads each use their own connection; on SQLite the test database is one in-memory
connection, and IMMEDIATE transactions already serialise writers, so this runs on
PostgreSQL only (the row lock of ``services.support`` is what is tested).
"""

import threading

import pytest
from django.db import connection

from essaim.consultations import services
from essaim.consultations.exceptions import ConsultationError
from essaim.consultations.models import Phase, Support
from tests.consultations.factories import make_consultation, make_proposal

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need their own connections (PostgreSQL)"
)


def run_together(calls) -> list:
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def worker(call):
        from django.db import connection as own

        try:
            barrier.wait()
            outcomes.append(call())
        except ConsultationError as error:
            outcomes.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_respect_the_maximum_and_uniqueness(django_user_model):
    from tests.conftest import make_user

    user = make_user(django_user_model, "rush@example.org")
    consultation = make_consultation(Phase.SUPPORTS, max_supports=3)
    proposals = [make_proposal(consultation, title=f"P{i}") for i in range(8)]

    run_together([lambda p=p: services.support(proposal=p, user=user) for p in proposals])
    assert Support.objects.filter(user=user).count() == 3

    other = make_user(django_user_model, "twice@example.org")
    target = proposals[0]
    run_together([lambda: services.support(proposal=target, user=other)] * 6)
    assert Support.objects.filter(user=other, proposal=target).count() == 1
