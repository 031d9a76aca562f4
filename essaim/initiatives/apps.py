from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    """The contributive map of solidarity initiatives ("carte")."""

    name = "essaim.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from essaim.accounts.services import (
            register_contribution_remover,
            register_personal_data,
        )
        from essaim.initiatives import clustering, personal_data, theme_changes
        from essaim.initiatives.models import Initiative
        from essaim.moderation import registry

        registry.register(
            Initiative,
            detail_fields=["name", "summary", "description", "address", "postal_code",
                           "commune", "website", "legal_form", "siret", "rna"],
            select_related=["commune"],
        )  # fmt: skip
        clustering.connect_signals()
        theme_changes.connect_signals()
        register_personal_data("initiatives", personal_data.collect)
        register_contribution_remover("initiatives", personal_data.remove_contributions)
