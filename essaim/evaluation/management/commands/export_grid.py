from django.core.management.base import BaseCommand, CommandError

from essaim.evaluation import grids
from essaim.evaluation.models import GridVersion


class Command(BaseCommand):
    help = "Print an evaluation grid (its latest version, or --version N) as YAML or JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml")
        parser.add_argument("--version-number", type=int, dest="number")

    def handle(self, *args, **options):
        versions = GridVersion.objects.filter(grid__slug=options["slug"]).order_by("-number")
        if options["number"]:
            versions = versions.filter(number=options["number"])
        version = versions.first()
        if version is None:
            raise CommandError(f"grille « {options['slug']} » : introuvable", returncode=2)
        self.stdout.write(grids.export_grid(version, options["format"]), ending="")
