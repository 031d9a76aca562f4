"""`essaim worker`: runs queued tasks, the cluster-wide periodic schedule and a heartbeat.

With ``REDIS_URL`` the queue is Redis (RQ, through django-tasks-rq); otherwise it is the
database (django-tasks-db). Any number of workers may run, on any number of machines:
each task is taken by one worker, and each periodic job is enqueued by one of them.
"""

import os
import socket
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from essaim.common.worker import HEARTBEAT_SECONDS, enqueue_due_tasks, record_heartbeat


class Command(BaseCommand):
    help = "Runs the background worker: queued tasks, periodic jobs and a heartbeat for /sante/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run the tasks already queued, then stop."
        )

    def handle(self, *args, batch: bool, verbosity: int, **options):
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        stop = threading.Event()
        beat = threading.Thread(target=self.beat_forever, args=(worker_id, stop), daemon=True)
        beat.start()
        try:
            if settings.ESSAIM_TASK_QUEUE == "redis":
                call_command("rqworker", "default", job_class="django_tasks_rq.Job",
                             burst=batch, with_scheduler=not batch, name=worker_id,
                             verbosity=verbosity)  # fmt: skip
            else:
                call_command("db_worker", queue_name="*", reload=False, batch=batch,
                             worker_id=worker_id, startup_delay=not batch,
                             verbosity=verbosity)  # fmt: skip
        finally:
            stop.set()

    def beat_forever(self, worker_id: str, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                record_heartbeat(worker_id)
                enqueue_due_tasks()
            except Exception:  # a failed beat must not kill the worker; it is logged
                self.stderr.write("essaim worker: heartbeat failed", ending="\n")
            finally:
                close_old_connections()
            stop.wait(HEARTBEAT_SECONDS)
