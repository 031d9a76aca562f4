from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search across every module."""

    name = "essaim.search"
    label = "search"
    verbose_name = _("Recherche")
