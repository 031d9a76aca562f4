from django.core.management.base import BaseCommand
from django.db import transaction

from essaim.common.demo import demo_loaders


class Command(BaseCommand):
    help = "Loads the demo territory, accounts and content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds people (used by `make run`).",
        )

    def handle(self, *args, if_empty=False, **options):
        from django.conf import settings
        from django.contrib.auth import get_user_model

        if if_empty and (not settings.ESSAIM_DEMO or get_user_model().objects.exists()):
            self.stdout.write(
                "Demo skipped: the database is not empty or ESSAIM_DEMO=0. "
                "The demo accounts and their password are listed in docs/demo-accounts.md."
            )
            return
        for label, load_demo in demo_loaders():
            self.stdout.write(f"Demo: {label}…")
            with transaction.atomic():
                load_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo ready."))
