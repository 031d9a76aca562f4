from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The directory and network of expertise: organisations, people, offers and needs,
    facilitators ("annuaire")."""

    name = "essaim.directory"
    label = "directory"
    verbose_name = _("Annuaire")

    def ready(self):
        from essaim.accounts.services import (
            register_contribution_remover,
            register_personal_data,
        )
        from essaim.directory import personal_data
        from essaim.directory.models import OfferNeed, Organisation
        from essaim.moderation import registry

        registry.register(
            Organisation,
            detail_fields=[
                "name",
                "kind",
                "legal_form",
                "siret",
                "rna",
                "summary",
                "description",
                "address",
                "postal_code",
                "commune",
                "website",
            ],
            select_related=["commune"],
        )
        registry.register(
            OfferNeed,
            detail_fields=["direction", "kind", "title", "description", "commune"],
            select_related=["commune"],
        )
        register_personal_data("annuaire", personal_data.collect)
        register_contribution_remover("annuaire", personal_data.remove_contributions)
        # An evaluation project may be an organisation's (as it may be an initiative's).
        from essaim.evaluation import subjects

        subjects.register(Organisation)
