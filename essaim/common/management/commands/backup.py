from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from essaim.common.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Backs up the database (consistent snapshot) and the media files into PATH."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A new (or empty) directory.")

    def handle(self, *args, path: Path, **options):
        try:
            create_backup(path, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite dans {path}."))
