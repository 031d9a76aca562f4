"""Keep the map's derived data right when the theme tree changes.

Map points carry their themes' slugs (labels) and their theme scopes, parents included
(``clustering.make_point``): renaming a slug, moving a theme under another parent or
deleting a theme changes the points of every initiative in it. Those initiatives are
re-clustered in the background (a large set becomes a full rebuild, see ``clustering``).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from essaim.initiatives.models import Initiative
from essaim.taxonomy.models import Theme


def initiatives_in(theme_ids: list[int]) -> list[int]:
    """Initiatives filed under these themes or their sub-themes."""
    ids = set(theme_ids) | set(
        Theme.objects.filter(parent__in=theme_ids).values_list("pk", flat=True)
    )
    through = Initiative.themes.through.objects.filter(theme_id__in=ids)
    return sorted(set(through.values_list("initiative_id", flat=True)))


def recluster_later(ids: list[int]) -> None:
    from essaim.initiatives import tasks

    if ids:
        transaction.on_commit(lambda: tasks.recluster.enqueue(ids=ids))


def _before_save(sender, instance: Theme, raw=False, **kwargs):
    old = Theme.objects.filter(pk=instance.pk).values_list("slug", "parent_id").first()
    instance._map_key = old if instance.pk else None


def _after_save(sender, instance: Theme, created=False, raw=False, **kwargs):
    old = getattr(instance, "_map_key", None)
    if not raw and old is not None and old != (instance.slug, instance.parent_id):
        recluster_later(initiatives_in([instance.pk]))


def _before_delete(sender, instance: Theme, **kwargs):
    instance._map_ids = initiatives_in([instance.pk])


def _after_delete(sender, instance: Theme, **kwargs):
    recluster_later(getattr(instance, "_map_ids", []))


def connect_signals() -> None:
    uid = "initiatives.theme_changes"
    pre_save.connect(_before_save, sender=Theme, dispatch_uid=uid)
    post_save.connect(_after_save, sender=Theme, dispatch_uid=uid)
    pre_delete.connect(_before_delete, sender=Theme, dispatch_uid=uid)
    post_delete.connect(_after_delete, sender=Theme, dispatch_uid=uid)
