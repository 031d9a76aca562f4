from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    """Régions, départements, EPCI and communes (INSEE codes), from bundled official data."""

    name = "essaim.territories"
    label = "territories"
    verbose_name = _("Territoires")
