"""Which models the public search covers, discovered rather than listed.

A model is searched when it is indexed (a modelsearch ``index.Indexed`` with search
fields) and either is a Wagtail page type, shown only while live and public, or belongs to
an ``essaim.*`` app, has ``get_absolute_url()`` and a default manager with ``public()``
(the team's convention for "what an anonymous visitor may see"). The search filters every
result through that visibility at query time, so a stale index entry never leaks.

Optional hooks on a model: ``search_type_label`` (French, plural), ``search_summary()``,
and a template ``search/result_<app_label>_<model_name>.html``.
"""

import operator
from dataclasses import dataclass
from functools import cache, reduce

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    BigIntegerField,
    CharField,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.fields import AutoFieldMixin
from django.db.models.functions import Cast
from django.template.loader import select_template
from django.utils.text import capfirst
from modelsearch.index import class_is_indexed
from wagtail.models import Page

ESSAIM_APPS_PREFIX = "essaim."


@dataclass(frozen=True)
class SearchType:
    key: str  # "app_label.model_name", the value of ?type=
    label: str  # may be a lazy translation
    model: type[Model]
    is_page: bool
    template_name: str

    @property
    def content_type_id(self) -> int:
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False).pk

    def visible(self) -> QuerySet:
        """Exactly the rows of this type an anonymous visitor may see."""
        if self.is_page:
            return self.model.objects.live().public().exclude(depth=1)
        return self.model._default_manager.public()


def visible_pages() -> QuerySet:
    """Live pages without view restriction, the root excluded (one query for restrictions)."""
    return Page.objects.live().public().exclude(depth=1)


@cache
def searchable_types() -> tuple[SearchType, ...]:
    return tuple(_search_type(model) for model in apps.get_models() if _is_searchable(model))


def types_by_key() -> dict[str, SearchType]:
    return {search_type.key: search_type for search_type in searchable_types()}


def visibility_filter(search_types, *, prefix: str = "") -> Q:
    """Index entries of ``search_types`` whose object an anonymous visitor may see now.

    ``prefix`` reaches the index entry from another model ("index_entry__").
    """
    page_types = [t.content_type_id for t in search_types if t.is_page]
    conditions = [_entries_of(page_types, visible_pages(), prefix)] if page_types else []
    conditions += [
        _entries_of([t.content_type_id], t.visible(), prefix) for t in search_types if not t.is_page
    ]
    return reduce(operator.or_, conditions, Q(pk__in=[]))


def _entries_of(content_type_ids, queryset: QuerySet, prefix: str) -> Q:
    of_types = Q(**{f"{prefix}content_type_id__in": content_type_ids})
    pk_field = queryset.model._meta.pk
    if connection.vendor == "postgresql" and isinstance(pk_field, AutoFieldMixin | IntegerField):
        # One primary-key probe per matching entry. ``object_id IN (SELECT CAST(pk AS
        # text) …)`` over a million visible rows exceeded work_mem, was not hashed, and
        # PostgreSQL rescanned the whole list for every match (minutes per query). The
        # cast applies only to entries of this type (evaluated after the type test).
        object_id = Cast(OuterRef(f"{prefix}object_id"), BigIntegerField())
        return of_types & Q(Exists(queryset.order_by().filter(pk=object_id)))
    # The index stores primary keys as text.
    ids = queryset.order_by().annotate(_search_id=Cast("pk", CharField())).values("_search_id")
    return of_types & Q(**{f"{prefix}object_id__in": ids})


def _is_searchable(model) -> bool:
    if not class_is_indexed(model):
        return False
    if issubclass(model, Page):
        return True
    return (
        model._meta.app_config.name.startswith(ESSAIM_APPS_PREFIX)
        and hasattr(model, "get_absolute_url")
        and hasattr(model._default_manager, "public")
    )


def _search_type(model) -> SearchType:
    meta = model._meta
    return SearchType(
        key=meta.label_lower,
        label=getattr(model, "search_type_label", None) or capfirst(meta.verbose_name_plural),
        model=model,
        is_page=issubclass(model, Page),
        template_name=select_template(
            [f"search/result_{meta.app_label}_{meta.model_name}.html", "search/result.html"]
        ).template.name,
    )
