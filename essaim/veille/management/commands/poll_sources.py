import sys

from django.core.management.base import BaseCommand

from essaim.veille import polling


class Command(BaseCommand):
    help = "One polling round over the news-watch sources that are due (--all: every source)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="everything",
                            help="Poll every source, due or not.")  # fmt: skip

    def handle(self, *args, everything=False, **options):
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False

        def progress(done, total, source, state):
            line = f"[{done}/{total}] {state:<9} {source}"
            if state == "erreur":
                line += f" — {source.last_error}"
            if interactive and state != "erreur":
                self.stdout.write(f"\r{line[:120]:<120}", ending="")
            else:
                self.stdout.write(line)

        report = polling.poll_due(progress=progress, everything=everything)
        if interactive:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(
            f"{report.polled} source(s) relevée(s) : {report.new_items} nouvel(s) article(s), "
            f"{report.not_modified} inchangée(s) (304), {report.failed} en erreur."
        ))  # fmt: skip
        sys.stdout.flush()
