"""Background tasks of the directory: take ids, re-fetch, call one service."""

from django_tasks import task

from essaim.directory import services
from essaim.directory.models import Match


@task()
def notify_match(*, match_id: int) -> int:
    match = Match.objects.select_related(
        "need__organisation", "need__person__user", "offer__organisation", "offer__person__user"
    ).filter(pk=match_id)
    return services.notify_match(match=match[0]) if match else 0


@task()
def purge_contact_log() -> int:
    """Daily (ESSAIM_PERIODIC_TASKS): forget old rows of the contact log."""
    return services.purge_contact_log()
