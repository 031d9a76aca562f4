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


@task()
def refresh_calendar_sources() -> dict:
    """Periodic (hourly): re-read the subscribed calendars that are due."""
    from essaim.agenda.imports import sources

    return sources.refresh_due_sources()


@task()
def refresh_calendar_source(*, source_id: int) -> str:
    """Refresh one source now (staff's button in the back office)."""
    from essaim.agenda.imports import sources
    from essaim.agenda.models import CalendarSource

    source = CalendarSource.objects.filter(pk=source_id).first()
    return sources.refresh_source(source=source) if source else "source supprimée"


@task()
def index_events(*, event_ids: list[int]) -> int:
    """Refresh the search index for imported events (bulk writes skip Wagtail's signals)."""
    from wagtail.search.backends import get_search_backend

    from essaim.agenda.models import Event

    backend, count = get_search_backend(), 0
    for start in range(0, len(event_ids), 1000):
        chunk = list(
            Event.objects.filter(pk__in=event_ids[start : start + 1000])
            .select_related("commune")
            .prefetch_related("themes")
        )
        backend.add_bulk(Event, chunk)
        count += len(chunk)
    return count
