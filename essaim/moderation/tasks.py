"""Background tasks: take ids, re-fetch, call one notification service."""

from django.contrib.contenttypes.models import ContentType
from django_tasks import task

from essaim.moderation import notifications, services
from essaim.moderation.models import ModerationEvent


@task()
def notify_moderators(*, content_type_id: int, object_id: str, kind: str) -> int:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    obj = model._default_manager.filter(pk=object_id).first()
    return notifications.notify_moderators(obj=obj, kind=kind) if obj else 0


@task()
def notify_contributor(*, event_id: int) -> int:
    event = ModerationEvent.objects.filter(pk=event_id).first()
    return notifications.notify_contributor(event=event) if event else 0


@task()
def purge_address_hashes() -> dict:
    """Daily (ESSAIM_PERIODIC_TASKS): forget old hashed addresses and expired blocks."""
    return services.purge_address_hashes()
