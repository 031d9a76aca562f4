from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from essaim.taxonomy.models import Theme
from essaim.veille import services
from essaim.veille.imports import OPMLError


class Command(BaseCommand):
    help = ("Add news-watch sources: feed or web-page addresses (the page's announced feed is "
            "found), or an OPML file with --opml.")  # fmt: skip

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="*", metavar="URL")
        parser.add_argument("--opml", metavar="FILE", help="Import the sources of an OPML file.")
        parser.add_argument("--private", action="store_true",
                            help="Private sources: never shown on public pages.")  # fmt: skip
        parser.add_argument("--theme", action="append", default=[], metavar="SLUG",
                            help="Theme slug for the new sources (repeatable).")  # fmt: skip

    def handle(self, *args, urls, opml, private, theme, **options):
        if not urls and not opml:
            raise CommandError("Indiquez au moins une adresse, ou --opml FICHIER.", returncode=2)
        themes = self._themes(theme)
        if opml:
            self._import(opml, not private, themes)
        failed = 0
        for url in urls:
            try:
                source, created = services.add_source(url=url, is_public=not private,
                                                      themes=themes)  # fmt: skip
            except services.SourceError as exc:
                self.stderr.write(str(exc))
                failed += 1
                continue
            count = source.items.count()
            verb = "Ajoutée" if created else "Déjà suivie"
            self.stdout.write(f"{verb} : {source} ({source.url}) — {count} article(s).")
        if failed:
            raise CommandError(f"{failed} adresse(s) n'ont pas pu être ajoutées.", returncode=2)

    def _themes(self, slugs: list[str]) -> list[Theme]:
        themes = list(Theme.objects.filter(slug__in=slugs))
        if unknown := set(slugs) - {t.slug for t in themes}:
            raise CommandError(f"Thème inconnu : {', '.join(sorted(unknown))}.", returncode=2)
        return themes

    def _import(self, path: str, is_public: bool, themes) -> None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"{path} : lecture impossible ({exc.strerror}).", returncode=2) \
                from None  # fmt: skip
        try:
            created, known = services.import_opml(data=data, is_public=is_public, themes=themes)
        except OPMLError as exc:
            raise CommandError(f"{path} : {exc} Rien n'a été importé.", returncode=2) from None
        self.stdout.write(
            f"{path} : {created} source(s) ajoutée(s), {known} déjà suivie(s). "
            "Elles seront relevées au prochain passage (essaim poll-sources)."
        )
