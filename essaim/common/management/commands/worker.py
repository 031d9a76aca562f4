import threading

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from essaim.common.worker import HEARTBEAT_SECONDS, enqueue_due_tasks, record_heartbeat


class Command(DatabaseWorkerCommand):
    help = "Runs the background worker: queued tasks, periodic jobs and a heartbeat for /sante/."

    def handle(self, *args, **options):
        stop = threading.Event()
        beat = threading.Thread(
            target=self.beat_forever, args=(options["worker_id"], stop), daemon=True
        )
        beat.start()
        try:
            super().handle(*args, **options)
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
