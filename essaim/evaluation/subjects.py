"""What a project may be linked to (a public initiative, later the directory's organisations).

Modules register their model here (``register(Model)``, from this app's ``ready()`` or the
lead's at merge); a project's generic link is refused for any other type.
"""

from django.contrib.contenttypes.models import ContentType

_MODELS: list[type] = []


def register(model: type) -> None:
    if model not in _MODELS:
        _MODELS.append(model)


def models() -> list[type]:
    return list(_MODELS)


def is_allowed(content_type: ContentType | None) -> bool:
    return content_type is not None and content_type.model_class() in _MODELS


def public_object(content_type: ContentType | None, object_id: int | None):
    """The linked object if it is of a registered type and public, else None."""
    if not is_allowed(content_type) or object_id is None:
        return None
    model = content_type.model_class()
    manager = model.objects
    queryset = manager.public() if hasattr(manager, "public") else manager.all()
    return queryset.filter(pk=object_id).first()
