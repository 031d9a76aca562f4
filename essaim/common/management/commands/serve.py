"""`essaim serve`: the production web server (gunicorn), workers from the CPU count.

Static files are collected first (they are build output, not state) and served by
WhiteNoise with far-future caching; put a proxy (nginx, Caddy) in front for TLS.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class EssaimServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from essaim.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serves the site in production (gunicorn); run `essaim worker` beside it."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=settings.ESSAIM_BIND)
        parser.add_argument("--workers", type=int, default=settings.ESSAIM_WEB_WORKERS)
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, bind, workers, no_collectstatic, **options):
        if settings.DEBUG:
            self.stderr.write("ESSAIM_DEBUG=1: never expose this server to the public.")
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Essaim on http://{bind}/ with {workers} worker(s).")
        EssaimServer({
            "bind": bind,
            "workers": workers,
            # Threads, not sync workers: a sync worker busy streaming a long download
            # (a million-row export takes about a minute) stops sending heartbeats and is
            # killed at the timeout, cutting the file; a gthread worker's main loop keeps
            # beating while its threads serve, and one slow request no longer holds a
            # whole process.
            "worker_class": "gthread",
            "threads": 4,
            "timeout": 60,
            "graceful_timeout": 20,
            # No recycling after N requests (max_requests): memory stays flat under load
            # (+2 to +7 MB per worker over the 10-minute soak), and each recycling lost the
            # requests then arriving on the exiting worker's kept-alive connections (4
            # recyclings in a 10-minute soak at 200/s: about 1,190 requests lost, 1,176
            # GETs sent again) and cost a second or two of CPU.
            "max_requests": 0,
            "accesslog": "-",
        }).run()  # fmt: skip
