from datetime import timedelta

import pytest
from django.utils import timezone

from essaim.common.models import PeriodicRun, WorkerHeartbeat
from essaim.common.worker import claim_periodic_run, record_heartbeat


@pytest.mark.django_db
def test_periodic_task_is_claimed_once_per_interval():
    now = timezone.now()
    every = timedelta(hours=1)
    assert claim_periodic_run("x.task", every, now) is True
    # A second worker asking at the same moment, or a little later, loses.
    assert claim_periodic_run("x.task", every, now) is False
    assert claim_periodic_run("x.task", every, now + timedelta(minutes=59)) is False
    assert claim_periodic_run("x.task", every, now + timedelta(minutes=61)) is True
    assert PeriodicRun.objects.get(task_path="x.task").last_enqueued == now + timedelta(minutes=61)


@pytest.mark.django_db
def test_heartbeat_keeps_one_row_per_worker():
    record_heartbeat("w1")
    record_heartbeat("w1")
    record_heartbeat("w2")
    assert sorted(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["w1", "w2"]
