"""essaim import-initiatives FILE|URL [--format …] [--source NAME] [--pending] [--full] …"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from essaim.initiatives import imports
from essaim.initiatives.imports.columns import parse_mapping
from essaim.initiatives.models import ImportRun, ImportSource


class Command(BaseCommand):
    help = "Importe des initiatives (CSV, GeoJSON, GoGoCarto JSON) depuis un fichier ou une URL."

    def add_arguments(self, parser):
        parser.add_argument("location", metavar="FILE|URL")
        parser.add_argument("--format", choices=["csv", "geojson", "gogocarto"], default="")
        parser.add_argument("--source", default="", help="Nom de la source (défaut : le fichier).")
        parser.add_argument(
            "--pending", action="store_true", help="Soumettre les nouvelles fiches à la modération."
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Import complet : archiver les fiches disparues de la source.",
        )
        parser.add_argument("--mapping", default="", help="colonne=champ,… (ex. CP=code_postal)")
        parser.add_argument("--delimiter", default="", help="Séparateur CSV (défaut : deviné).")
        parser.add_argument("--encoding", default="", help="Encodage (défaut : deviné).")

    def handle(self, *args, location, **options):
        try:
            mapping = parse_mapping(options["mapping"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        source, created = self._source(location, options)
        run = ImportRun.objects.create(
            source=source, location=self._location(location), fmt=options["format"],
            full=options["full"], pending=options["pending"],
            options={"mapping": mapping, "delimiter": options["delimiter"].replace("\\t", "\t"),
                     "encoding": options["encoding"]},
        )  # fmt: skip
        try:
            imports.run_import(run=run, progress=self._progress)
        except imports.ImportFailed as exc:
            if created:
                source.delete()  # leave nothing behind, not even the new source
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(self.style.SUCCESS(run.message))

    def _source(self, location: str, options) -> tuple[ImportSource, bool]:
        name = options["source"] or Path(location.split("?")[0]).name or location
        kind = options["format"] or ImportSource.Kind.CSV
        return ImportSource.objects.get_or_create(
            name=name[:200], defaults={"kind": kind, "url": location if "://" in location else ""}
        )

    @staticmethod
    def _location(location: str) -> str:
        return location if "://" in location else str(Path(location).resolve())

    def _progress(self, run: ImportRun, message: str) -> None:
        self.stdout.write(f"… {message}")
        self.stdout.flush()
