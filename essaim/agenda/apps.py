from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    """The citizen agenda ("agenda citoyen")."""

    name = "essaim.agenda"
    label = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from essaim.agenda import feeds, recurrence
        from essaim.agenda.models import Event
        from essaim.moderation import registry

        registry.register(
            Event,
            detail_fields=["title", "summary", "description", "start", "end", "place_name",
                           "address", "commune", "online_url", "organiser_name"],
            select_related=["commune"],
        )  # fmt: skip
        recurrence.connect_signals()
        feeds.connect_signals()
