"""Background tasks of experience sheets: take ids, re-fetch, call one service."""

from django_tasks import task

from essaim.experiences import services


@task()
def send_review_reminders() -> int:
    """Daily (ESSAIM_PERIODIC_TASKS): the yearly "is this sheet still right?" e-mails."""
    return services.send_review_reminders()
