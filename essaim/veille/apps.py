from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class VeilleConfig(AppConfig):
    """The news watch ("veille"): sources, polling, curated picks, digests."""

    name = "essaim.veille"
    label = "veille"
    verbose_name = _("Veille")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from essaim.initiatives import related
        from essaim.veille import sections, signals
        from essaim.veille.models import KeywordRule, Source

        post_migrate.connect(grant_curator_permissions, sender=self)
        post_save.connect(signals.rules_changed, sender=KeywordRule)
        post_delete.connect(signals.rules_changed, sender=KeywordRule)
        m2m_changed.connect(signals.source_themes_changed, sender=Source.themes.through)
        related.register(
            related.Section(
                "veille/includes/initiative_section.html", sections.mentions_of_initiative
            )
        )


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
