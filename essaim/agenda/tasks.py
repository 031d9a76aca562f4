"""Background jobs of the agenda: thin wrappers around services."""

from django_tasks import task

from essaim.agenda import recurrence


@task()
def extend_horizons() -> int:
    """Daily: materialise the occurrences of series as the rolling window moves on."""
    return recurrence.extend_horizons()
