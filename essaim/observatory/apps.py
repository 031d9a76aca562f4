from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    """Territory and theme pages, dashboards, open data: reads across the modules."""

    name = "essaim.observatory"
    label = "observatory"
    verbose_name = _("Observatoire")
