from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """The shared lifecycle of contributed content: history, pending versions, reports, queue."""

    name = "essaim.moderation"
    label = "moderation"
    verbose_name = _("Modération")

    def ready(self):
        from essaim.accounts.services import register_contribution_remover
        from essaim.moderation import services

        register_contribution_remover("moderation", services.remove_contributions)
