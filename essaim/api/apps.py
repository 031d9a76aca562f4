from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public read API (/api/v1/): reads across the modules; no module imports it."""

    name = "essaim.api"
    label = "api"
    verbose_name = _("API publique")
