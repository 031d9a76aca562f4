from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "essaim.publications"
    label = "publications"
    verbose_name = _("Publications")

    def ready(self):
        from essaim.publications import notifications

        notifications.connect()
