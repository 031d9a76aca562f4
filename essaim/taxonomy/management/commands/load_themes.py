from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from essaim.taxonomy.services import DEFAULT_TREE, load_themes


class Command(BaseCommand):
    help = "Creates or updates the theme tree from data/themes.yaml (idempotent, never deletes)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_TREE)

    def handle(self, *args, path, **options):
        try:
            counts = load_themes(path=path)
        except (ValidationError, KeyError, OSError) as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Thèmes : {summary}."))
