"""``essaim purge-registrations``: erase personal data of registrations past the retention
delay (``ESSAIM_REGISTRATION_RETENTION_DAYS`` after their date ended). Idempotent; the
worker runs it daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from essaim.agenda import registrations


class Command(BaseCommand):
    help = "Erase names and e-mails of registrations whose date ended long enough ago."

    def handle(self, *args, **options):
        count = registrations.purge_personal_data()
        days = settings.ESSAIM_REGISTRATION_RETENTION_DAYS
        self.stdout.write(
            f"{count} registration(s) erased (dates ended more than {days} days ago)."
        )
