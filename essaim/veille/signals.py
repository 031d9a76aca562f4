"""Item themes follow staff's edits of keyword rules and of source themes."""

from django.db import transaction


def rules_changed(**kwargs) -> None:
    from essaim.veille import tasks

    transaction.on_commit(lambda: tasks.retheme_items.enqueue())


def source_themes_changed(instance, action, reverse, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    from essaim.veille import tasks

    if reverse:  # a theme's sources changed, from the theme's side: redo them all
        transaction.on_commit(lambda: tasks.retheme_items.enqueue())
    else:
        transaction.on_commit(lambda: tasks.retheme_items.enqueue(source_id=instance.pk))
