"""Which models the public search covers, discovered rather than listed.

A model is searched when it is indexed (a modelsearch ``index.Indexed`` with search
fields) and either is a Wagtail page type, shown only while live and public, or belongs to
an ``essaim.*`` app, has ``get_absolute_url()`` and a default manager with ``public()``
(the team's convention for "what an anonymous visitor may see"). The search filters every
result through that visibility at query time, so a stale index entry never leaks.

Optional hooks on a model: ``search_type_label`` (French, plural), ``search_summary()``,
and a template ``search/result_<app_label>_<model_name>.html``.
"""

from dataclasses import dataclass
from datetime import date, time
from functools import cache, cached_property

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
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
from django.db.models.sql import Query
from django.template.loader import select_template
from django.utils.text import capfirst
from django.utils.tree import Node
from modelsearch.index import class_is_indexed
from wagtail.models import Page, PageViewRestriction

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

    def visibility_is_fixed(self) -> bool:
        """Whether the SQL of ``visible()`` is the same on every request (for pages: with
        the same restricted sections), so that it may be compiled once: not when the
        condition holds a date or time taken in Python ("published before now")."""
        return not _holds_time(self.visible().query.where)


@cache
def searchable_types() -> tuple[SearchType, ...]:
    return tuple(_search_type(model) for model in apps.get_models() if _is_searchable(model))


def types_by_key() -> dict[str, SearchType]:
    return {search_type.key: search_type for search_type in searchable_types()}


def content_types_known(search_types) -> None:
    """Look every type's content type up at once: one query when cold, none after."""
    models = [t.model for t in search_types]
    ContentType.objects.get_for_models(*models, for_concrete_models=False)


class Visibility:
    """Conditions on index entries whose object an anonymous visitor may see now, for one
    search. ``prefix`` reaches the index entry from another model ("index_entry__")."""

    def __init__(self, *, prefix: str = ""):
        self.prefix = prefix

    @cached_property
    def restricted_sections(self) -> tuple[tuple[str, int], ...]:
        """Path and depth of every page with a view restriction, whose section (the page
        and its descendants) no anonymous visitor sees: one query, when a page type first
        needs it. A compiled page window is kept under these (``matching.window_sql``)."""
        restricted = PageViewRestriction.objects.values_list("page__path", "page__depth")
        return tuple(sorted(set(restricted)))

    @cached_property
    def pages(self) -> QuerySet:
        """Live pages outside every restricted section, the root excluded: Wagtail's
        ``live().public()``, built from ``restricted_sections`` so that a kept window's
        SQL and its key come from the same read (tested against Wagtail's)."""
        pages = Page.objects.live().exclude(depth=1)
        if not self.restricted_sections:
            return pages
        private = Q()
        for path, depth in self.restricted_sections:
            private |= Q(path__startswith=path, depth__gte=depth)
        return pages.exclude(private)

    def of(self, search_type: SearchType) -> Q:
        queryset = self.pages if search_type.is_page else search_type.visible()
        return _entries_of(queryset, self.prefix)


def _entries_of(queryset: QuerySet, prefix: str) -> Q:
    pk_field = queryset.model._meta.pk
    if isinstance(pk_field, AutoFieldMixin | IntegerField):
        # One primary-key probe per matching entry, and only for the entries a search
        # reads. ``object_id IN (SELECT CAST(pk AS text) …)`` builds the list of every
        # visible row first: over a million rows PostgreSQL exceeded work_mem and rescanned
        # the list for every match (minutes per query); SQLite built a temporary index of
        # it on every search.
        object_id = Cast(OuterRef(f"{prefix}object_id"), BigIntegerField())
        return Q(Exists(queryset.order_by().filter(pk=object_id)))
    if isinstance(pk_field, CharField):  # territories' INSEE codes: the text as stored
        return Q(Exists(queryset.order_by().filter(pk=OuterRef(f"{prefix}object_id"))))
    # The index stores primary keys as text.
    ids = queryset.order_by().annotate(_search_id=Cast("pk", CharField())).values("_search_id")
    return Q(**{f"{prefix}object_id__in": ids})


def _holds_time(node) -> bool:
    """Whether a WHERE tree compares with a date or time value, in sub-queries too."""
    for child in node.children:
        if isinstance(child, Node):
            if _holds_time(child):
                return True
            continue
        values = child.rhs if isinstance(child.rhs, list | tuple) else [child.rhs]
        for value in values:
            if isinstance(value, date | time):
                return True
            query = value if isinstance(value, Query) else getattr(value, "query", None)
            if isinstance(query, Query) and _holds_time(query.where):
                return True
    return False


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
