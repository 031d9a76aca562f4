from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles, consent, personal-data export and deletion."""

    name = "essaim.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        post_migrate.connect(grant_role_permissions, sender=self)


def grant_role_permissions(using="default", apps=None, **kwargs):
    """Keeps role groups in step with the permissions of every installed Essaim app.

    Django creates permissions after migrations, app by app, so the data migration cannot
    see those of apps that came later: create them first (idempotent), then sync.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    from essaim.accounts.roles import essaim_app_labels
    from essaim.accounts.services import sync_role_groups

    for label in [*essaim_app_labels(), "auth"]:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    sync_role_groups()
