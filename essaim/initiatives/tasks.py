"""Background tasks of the initiatives module: take ids, re-fetch, call one service."""

import contextlib
from datetime import datetime

from django_tasks import task

from essaim.initiatives import imports, notifications, services
from essaim.initiatives.models import ImportRun, Initiative


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


@task()
def purge_import_files() -> int:
    """Daily (ESSAIM_PERIODIC_TASKS): uploaded import files past their retention."""
    return imports.purge_uploaded_files()


@task()
def run_import(*, run_id: int) -> str:
    run = ImportRun.objects.select_related("source", "started_by").get(pk=run_id)
    with contextlib.suppress(imports.ImportFailed):  # the message is on the run
        imports.run_import(run=run)
    return run.state


INDEX_PAGE = 1000


@task()
def index_imported(*, source_id: int, since: str) -> int:
    """Refresh the search index for what an import wrote (bulk writes skip Wagtail's signal)."""
    from wagtail.search.backends import get_search_backend

    written = Initiative.objects.filter(
        source_id=source_id, imported_at__gte=datetime.fromisoformat(since)
    )
    backend, count, last = get_search_backend(), 0, 0
    # Keyset pages (pk > last): an OFFSET re-reads every skipped row, quadratic at 100,000.
    while chunk := list(
        written.filter(pk__gt=last).order_by("pk")[:INDEX_PAGE]
        .prefetch_related("themes").select_related("commune")
    ):  # fmt: skip
        backend.add_bulk(Initiative, chunk)
        count, last = count + len(chunk), chunk[-1].pk
    return count


@task()
def refresh_import_sources() -> int:
    """Periodic (daily): re-import the sources whose refresh period has passed."""
    return len(imports.refresh_due_sources())


@task()
def send_alerts() -> int:
    """Periodic (hourly): mail every subscription that is due its new initiatives."""
    return notifications.send_due_alerts()


@task()
def recluster(*, ids: list[int]) -> int:
    """Re-cluster these initiatives on the map (after a theme was renamed, moved, deleted)."""
    from essaim.initiatives.signals import initiatives_changed

    initiatives_changed.send(sender=Initiative, ids=ids)
    return len(ids)
