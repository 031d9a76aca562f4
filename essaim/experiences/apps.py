from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperiencesConfig(AppConfig):
    """Documented experiences ("capitalisation"): structured, co-edited sheets (Wagtail pages)."""

    name = "essaim.experiences"
    label = "experiences"
    verbose_name = _("Expériences documentées")

    def ready(self):
        from essaim.accounts.services import (
            register_contribution_remover,
            register_personal_data,
        )
        from essaim.experiences import personal_data, sections
        from essaim.initiatives import related

        register_personal_data("experiences", personal_data.collect)
        register_contribution_remover("experiences", personal_data.remove_contributions)
        related.register(
            related.Section(
                "experiences/includes/initiative_section.html", sections.experiences_of_initiative
            )
        )
