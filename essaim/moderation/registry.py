"""Which models go through moderation, so the queue and the report view know them all.

Modules call ``registry.register(Model, ...)`` from their ``AppConfig.ready()``;
moderation never imports a module.
"""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class ModeratedType:
    model: type[models.Model]
    # Fields shown to moderators on the item page (defaults to moderated_fields).
    detail_fields: tuple[str, ...] = ()
    # Relations to fetch with the queue's lists, to keep them free of N+1 queries.
    select_related: tuple[str, ...] = ()
    # Whether visitors may report published items of this type.
    reportable: bool = True

    @property
    def label(self) -> str:
        """ "app_label.model_name": the form used in URLs."""
        return self.model._meta.label_lower

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    def queryset(self):
        return self.model._default_manager.select_related("submitted_by", *self.select_related)


_types: dict[str, ModeratedType] = {}


def register(
    model,
    *,
    detail_fields=None,
    select_related=(),
    reportable: bool = True,
) -> ModeratedType:
    """Declare ``model`` (a ``Moderated`` subclass) to the moderators' queue and report view."""
    from essaim.moderation.models import Moderated

    if not issubclass(model, Moderated):
        raise TypeError(f"{model._meta.label} must subclass essaim.moderation.models.Moderated.")
    entry = ModeratedType(
        model=model,
        detail_fields=tuple(detail_fields or model.moderated_fields),
        select_related=tuple(select_related),
        reportable=reportable,
    )
    _types[entry.label] = entry
    return entry


def unregister(model) -> None:
    _types.pop(model._meta.label_lower, None)


def get(label: str) -> ModeratedType | None:
    """The registered type for "app_label.model_name", or None."""
    return _types.get(label.lower())


def for_model(model) -> ModeratedType | None:
    return _types.get(model._meta.label_lower)


def types() -> list[ModeratedType]:
    return sorted(_types.values(), key=lambda t: t.label)
