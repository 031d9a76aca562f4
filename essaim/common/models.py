from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life of each background worker, read by /sante/."""

    worker_id = models.CharField(max_length=64, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self):
        return f"{self.worker_id} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class PeriodicRun(models.Model):
    """When each periodic task was last enqueued, so one worker of many enqueues it."""

    task_path = models.CharField(max_length=200, unique=True)
    last_enqueued = models.DateTimeField()

    def __str__(self):
        return self.task_path
