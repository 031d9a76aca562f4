"""Curation: staff and facilitators pick items with a comment and themes."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from essaim.common.templatetags.links import is_web_url


class PickQuerySet(models.QuerySet):
    def public(self):
        # An item of a private source stays internal even when picked.
        return self.filter(item__source__is_public=True)


class Pick(index.Indexed, models.Model):
    item = models.OneToOneField(
        "veille.Item", models.CASCADE, related_name="pick", verbose_name=_("article")
    )
    comment = models.TextField(_("commentaire"), max_length=1000, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", related_name="veille_picks", verbose_name=_("thèmes"), blank=True
    )
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
        related_name="veille_picks", verbose_name=_("retenu par"),
    )  # fmt: skip
    picked_at = models.DateTimeField(_("retenu le"), db_index=True)

    objects = PickQuerySet.as_manager()

    search_fields = [
        index.SearchField("comment", boost=2),
        index.RelatedFields("item", [index.SearchField("title"), index.SearchField("author")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]
    search_type_label = _("Veille : sélection")

    class Meta:
        verbose_name = _("sélection")
        verbose_name_plural = _("sélections")
        ordering = ["-picked_at", "-pk"]

    def __str__(self):
        return str(self.item)

    def get_absolute_url(self):
        return self.item.link if is_web_url(self.item.link) else reverse("veille:picks")

    def search_summary(self) -> str:
        return self.comment
