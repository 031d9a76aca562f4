"""Tasks of the publications app (thin: they call one command or service)."""

from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled() -> str:
    """Periodic: publish pages whose go-live time has come and unpublish expired ones
    (Wagtail's ``publish_scheduled`` command, idempotent)."""
    call_command("publish_scheduled", verbosity=0)
    return "done"
