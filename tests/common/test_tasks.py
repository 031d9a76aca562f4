"""Tasks of the common app."""

import pytest
from django.db import connection

from essaim.common.tasks import refresh_planner_statistics


@pytest.mark.django_db
def test_planner_statistics_are_refreshed_on_sqlite_only():
    from tests.initiatives.conftest import make_initiative

    make_initiative("Une")
    result = refresh_planner_statistics.call()
    if connection.vendor != "sqlite":
        assert result == "skipped"
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'initiatives_initiative'")
        assert result == "analyzed" and cursor.fetchone()[0] > 0
