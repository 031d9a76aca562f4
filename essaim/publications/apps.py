from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "essaim.publications"
    label = "publications"
    verbose_name = _("Publications")

    def ready(self):
        from essaim.accounts.services import register_contribution_remover
        from essaim.publications import notifications, personal_data

        notifications.connect()
        register_contribution_remover("publications", personal_data.remove_contributions)
