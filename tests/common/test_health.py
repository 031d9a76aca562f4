from datetime import timedelta

import pytest
from django.utils import timezone

from essaim.common.models import WorkerHeartbeat


@pytest.mark.django_db
def test_health_reports_database_up_and_worker_missing(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["worker"] == {"ok": False, "last_seen": None}
    assert body["status"] == "degraded"


@pytest.mark.django_db
def test_health_is_ok_when_a_worker_beat_recently(client):
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen=timezone.now())
    body = client.get("/sante/").json()
    assert body["status"] == "ok"
    assert body["worker"]["ok"] is True


@pytest.mark.django_db
def test_health_flags_a_silent_worker(client):
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen=timezone.now() - timedelta(minutes=5))
    body = client.get("/sante/").json()
    assert body["worker"]["ok"] is False
    assert body["worker"]["age_seconds"] >= 300
