import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serves the site and runs the background worker together (development)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port, host, **options):
        worker = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
            [sys.executable, "-m", "essaim", "worker"],
            env=os.environ.copy(),
        )
        self.stdout.write(f"Worker started (pid {worker.pid}).")
        self.stdout.write(f"Essaim: http://{host}:{port}/ — Ctrl+C to stop.")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=settings.DEBUG)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
