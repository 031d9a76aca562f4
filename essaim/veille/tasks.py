"""Background tasks of the watch: thin, each calls one service."""

from django_tasks import task

from essaim.veille import polling, services, storing
from essaim.veille.models import Item


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


@task()
def index_items(*, item_ids: list[int]) -> int:
    """Add items a polling round stored to the search index (bulk writes skip the signal)."""
    items = list(Item.objects.filter(pk__in=item_ids).select_related("source"))
    storing.index_items(items)
    return len(items)


@task()
def retheme_items(*, source_id: int | None = None) -> dict:
    """After staff edited the keyword rules (or a source's themes): themes follow."""
    added, removed = storing.retheme_items(source_id=source_id)
    return {"added": added, "removed": removed}
