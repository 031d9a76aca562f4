"""Wagtail page querysets shared by the modules that publish pages.

Wagtail's ``public()`` reads every view restriction first (one query) and builds an OR of
path prefixes in Python; a territory page that lists articles, dossiers and experiences
paid that query three times. Here "in a restricted section" is a correlated ``EXISTS``
inside the page query itself: same rows, no extra round trip.
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageManager, PageViewRestriction
from wagtail.query import PageQuerySet


class EssaimPageQuerySet(PageQuerySet):
    def private_q(self):
        """Pages at or below a page with a view restriction: a restriction exists whose
        page's tree path is a prefix of this page's path (what Wagtail's
        ``descendant_of_q(inclusive=True)`` means)."""
        prefix = Substr(OuterRef("path"), 1, Length("page__path"))
        return Exists(PageViewRestriction.objects.filter(page__path=prefix))


EssaimPageManager = PageManager.from_queryset(EssaimPageQuerySet)
