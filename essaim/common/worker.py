"""Background worker helpers: heartbeat and the cluster-wide periodic schedule.

Periodic jobs are declared in ``settings.ESSAIM_PERIODIC_TASKS`` as
``{"dotted.path.to.task": seconds}``; any running worker enqueues a due job, and the
conditional UPDATE on ``PeriodicRun`` makes sure only one of them does.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from essaim.common.models import PeriodicRun, WorkerHeartbeat

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 30


def record_heartbeat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"last_seen": timezone.now()}
    )


def last_heartbeat() -> datetime | None:
    latest = WorkerHeartbeat.objects.order_by("-last_seen").first()
    return latest.last_seen if latest else None


def claim_periodic_run(task_path: str, every: timedelta, now: datetime) -> bool:
    """True when this caller won the right to enqueue ``task_path`` now."""
    due_before = now - every
    claimed = PeriodicRun.objects.filter(task_path=task_path, last_enqueued__lte=due_before).update(
        last_enqueued=now
    )
    if claimed:
        return True
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(task_path=task_path, last_enqueued=now)
    except IntegrityError:
        return False  # it exists and is not due, or another worker just created it
    return True


def enqueue_due_tasks(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task that is due; return the paths enqueued."""
    now = now or timezone.now()
    enqueued = []
    for task_path, seconds in settings.ESSAIM_PERIODIC_TASKS.items():
        if claim_periodic_run(task_path, timedelta(seconds=seconds), now):
            import_string(task_path).enqueue()
            enqueued.append(task_path)
    if enqueued:
        logger.info("Enqueued periodic tasks: %s", ", ".join(enqueued))
    return enqueued
