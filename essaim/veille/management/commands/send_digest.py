from django.core.management.base import BaseCommand

from essaim.veille import services


class Command(BaseCommand):
    help = "Send the weekly news-watch letter if it is due (--force: now)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Send even if not yet due.")

    def handle(self, *args, force=False, **options):
        digest = services.send_digest(force=force)
        if digest is None:
            self.stdout.write("Pas de lettre : pas encore le moment, ou rien de nouveau retenu.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Lettre « {digest.subject} » : {digest.pick_count} sélection(s), "
                f"{digest.recipient_count} destinataire(s)."
            ))  # fmt: skip
