"""essaim import-events FILE|URL [--source NAME] [--pending] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from essaim.agenda import imports
from essaim.agenda.models import CalendarSource


class Command(BaseCommand):
    help = "Importe des événements d'un calendrier iCalendar (.ics), fichier ou URL."

    def add_arguments(self, parser):
        parser.add_argument("location", metavar="FILE|URL")
        parser.add_argument("--source", default="", help="Nom de la source (défaut : le fichier).")
        parser.add_argument(
            "--pending", action="store_true", help="Soumettre les événements à la modération."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Tout vérifier et compter, sans rien écrire."
        )

    def handle(self, *args, location, **options):
        self._progress(f"lecture de {location}")
        try:
            data = imports.read_location(location)
            # The source is created in the import's transaction: a refused import leaves
            # nothing behind, not even the new source.
            with transaction.atomic():
                source = self._source(location, options["source"])
                outcome = imports.import_calendar(
                    source=source, data=data, publish=not options["pending"],
                    dry_run=options["dry_run"], progress=self._progress,
                )  # fmt: skip
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except (imports.FetchError, imports.ImportFailed) as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(self.style.SUCCESS(outcome.message))

    @staticmethod
    def _source(location: str, name: str) -> CalendarSource:
        url = location if imports.is_url(location) else ""
        name = name or Path(location.split("?")[0]).name or location
        source, _ = CalendarSource.objects.get_or_create(name=name[:200], defaults={"url": url})
        return source

    def _progress(self, message: str) -> None:
        self.stdout.write(f"… {message}")
        self.stdout.flush()
