"""Background tasks of the initiatives module: take ids, re-fetch, call one service."""

from django_tasks import task

from essaim.initiatives import services
from essaim.initiatives.models import Initiative


@task()
def send_edit_link(*, initiative_id: int) -> int:
    initiative = Initiative.objects.select_related("owner", "submitted_by").filter(pk=initiative_id)
    return services.send_edit_link(initiative=initiative[0]) if initiative else 0


@task()
def review_pending_initiatives() -> dict:
    """Daily (ESSAIM_PERIODIC_TASKS): votes decide after the delay; old items are flagged."""
    return services.review_pending_initiatives()


@task()
def send_confirmation_reminders() -> int:
    """Daily (ESSAIM_PERIODIC_TASKS): the yearly "still up to date?" e-mails."""
    return services.send_confirmation_reminders()
