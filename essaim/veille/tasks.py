"""Background tasks of the watch: thin, each calls one service."""

from django_tasks import task

from essaim.veille import polling, services


@task()
def poll_sources() -> dict:
    """Periodic (every 5 minutes): one round over the sources that are due."""
    report = polling.poll_due()
    return {"polled": report.polled, "new_items": report.new_items, "failed": report.failed}


@task()
def send_digest() -> int:
    """Periodic (hourly check): the weekly letter, once a week has passed since the last."""
    digest = services.send_digest()
    return digest.recipient_count if digest else 0
