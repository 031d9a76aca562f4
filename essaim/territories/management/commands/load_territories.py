from django.core.management.base import BaseCommand

from essaim.territories.loading import index_territories, load_territories


class Command(BaseCommand):
    help = "Loads or updates régions, départements, EPCI, communes and postal codes (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-index", action="store_true", help="Do not refresh the site-search index."
        )

    def handle(self, *args, no_index=False, **options):
        counts = load_territories()
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Territoires chargés : {summary}."))
        if not no_index:
            indexed = index_territories()
            self.stdout.write(f"Recherche : {indexed} territoires indexés.")
