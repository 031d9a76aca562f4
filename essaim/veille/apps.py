from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class VeilleConfig(AppConfig):
    """The news watch ("veille"): sources, polling, curated picks, digests."""

    name = "essaim.veille"
    label = "veille"
    verbose_name = _("Veille")

    def ready(self):
        post_migrate.connect(grant_curator_permissions, sender=self)


# Back-office staff who are not administrators keep the watch's sources and rules.
CURATOR_GROUPS = ("moderateur", "editeur")


def grant_curator_permissions(using="default", **kwargs):
    """Give moderators and editors every permission on the watch's models (idempotent).

    Django creates permissions after migrations, so create ours first.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    config = apps.get_app_config("veille")
    create_permissions(config, verbosity=0, using=using)
    permissions = Permission.objects.using(using).filter(content_type__app_label="veille")
    for group in Group.objects.using(using).filter(name__in=CURATOR_GROUPS):
        group.permissions.add(*permissions)
