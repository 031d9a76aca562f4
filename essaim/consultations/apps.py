from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    """Consultations: proposals, threaded comments, supports and official answers."""

    name = "essaim.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from essaim.accounts.services import (
            register_contribution_remover,
            register_personal_data,
        )
        from essaim.consultations import personal_data
        from essaim.consultations.models import Comment, Proposal
        from essaim.moderation import registry

        registry.register(
            Proposal,
            detail_fields=["consultation", "kind", "title", "body", "commune"],
            select_related=["consultation"],
            reportable=True,
        )
        registry.register(
            Comment, detail_fields=["proposal", "body"], select_related=["proposal"],
            reportable=True,
        )  # fmt: skip
        register_personal_data("consultations", personal_data.collect)
        register_contribution_remover("consultations", personal_data.remove_contributions)
