"""Background jobs of the agenda: thin wrappers around services."""

from django_tasks import task

from essaim.agenda import recurrence, registrations


@task()
def extend_horizons() -> int:
    """Daily: materialise the occurrences of series as the rolling window moves on."""
    return recurrence.extend_horizons()


@task()
def purge_registrations() -> int:
    """Daily: erase the names and e-mails of registrations past the retention delay."""
    return registrations.purge_personal_data()
