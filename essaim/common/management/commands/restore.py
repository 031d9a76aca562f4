from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from essaim.common.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restores a backup made by `essaim backup` into an empty database and media folder."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup directory.")

    def handle(self, *args, path: Path, **options):
        try:
            differences = restore_backup(path, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        for difference in differences:
            self.stderr.write(f"{difference.what} : attendu {difference.expected}, "
                              f"trouvé {difference.found}")  # fmt: skip
        if differences:
            raise CommandError("La vérification a trouvé des différences.", returncode=2)
        self.stdout.write(self.style.SUCCESS("Restauration vérifiée : tout correspond."))
