from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from essaim.evaluation import grids


class Command(BaseCommand):
    help = "Import an evaluation grid (YAML or JSON) as a new version; nothing written on error."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(
                f"{options['file']} : illisible ({exc.strerror})", returncode=2
            ) from None
        try:
            version = grids.import_grid(grids.parse(data))
        except grids.GridError as exc:
            raise CommandError(f"grille refusée — {exc}", returncode=2) from None
        self.stdout.write(f"{version} importée ({version.axes.count()} axes).")
