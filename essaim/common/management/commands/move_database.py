from django.core.management.base import BaseCommand, CommandError

from essaim.common.moving import MoveError, move_database


class Command(BaseCommand):
    help = "Copies this instance's database into another, empty one (e.g. SQLite → PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("url", help="The target, e.g. postgres://user@host:5432/essaim")

    def handle(self, *args, url: str, **options):
        try:
            counts = move_database(url, log=self.stdout.write)
        except MoveError as error:
            raise CommandError(str(error), returncode=2) from None
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(
            f"{total} lignes copiées et vérifiées. Mettez DATABASE_URL={url.split('@')[-1]!r} "
            "(avec ses identifiants) dans l'environnement puis redémarrez."
        ))  # fmt: skip
