from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    """The citizen agenda ("agenda citoyen")."""

    name = "essaim.agenda"
    label = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from essaim.accounts.services import (
            register_contribution_remover,
            register_personal_data,
        )
        from essaim.agenda import feeds, personal_data, recurrence, registrations, services
        from essaim.agenda.models import Event
        from essaim.moderation import registry

        registry.register(
            Event,
            detail_fields=["title", "summary", "description", "start", "end", "place_name",
                           "address", "commune", "online_url", "organiser_name"],
            select_related=["commune"],
        )  # fmt: skip
        recurrence.connect_signals()
        services.connect_signals()
        registrations.connect_signals()  # after recurrence's: dates are in sync by then
        personal_data.connect_signals()
        register_personal_data("agenda", personal_data.collect)
        register_contribution_remover("agenda", personal_data.remove_contributions)
        feeds.connect_signals()
