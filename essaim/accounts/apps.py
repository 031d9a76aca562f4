from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles, consent, personal-data export and deletion."""

    name = "essaim.accounts"
    label = "accounts"
    verbose_name = _("Comptes")
