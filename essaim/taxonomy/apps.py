from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    """The one theme tree shared by every module."""

    name = "essaim.taxonomy"
    label = "taxonomy"
    verbose_name = _("Thématiques")
