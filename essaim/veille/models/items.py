"""What the sources published: items, de-duplicated, sanitised, themed by keyword rules."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from essaim.common.html import strip_html
from essaim.common.templatetags.links import is_web_url

INDEXED_SUMMARY_CHARS = 2000


class ItemQuerySet(models.QuerySet):
    def public(self):
        """Items of public sources only: private sources never reach a public surface."""
        return self.filter(source__is_public=True)


class Item(index.Indexed, models.Model):
    source = models.ForeignKey(
        "veille.Source", models.CASCADE, related_name="items", verbose_name=_("source")
    )
    guid = models.CharField(_("identifiant"), max_length=500)
    link = models.URLField(_("lien"), max_length=2000, blank=True, db_index=True)
    title = models.CharField(_("titre"), max_length=500, blank=True)
    summary_html = models.TextField(_("résumé"), blank=True)  # sanitised before storage
    author = models.CharField(_("auteur·rice"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("publié le"), db_index=True)
    fetched_at = models.DateTimeField(_("relevé le"), auto_now_add=True)
    content_hash = models.CharField(max_length=64, db_index=True, editable=False)
    themes = models.ManyToManyField(
        "taxonomy.Theme", related_name="veille_items", verbose_name=_("thèmes"), blank=True
    )

    objects = ItemQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("indexed_summary"),
        index.SearchField("author"),
        index.RelatedFields("source", [index.SearchField("title")]),
        index.FilterField("source_id"),
    ]
    search_type_label = _("Veille : articles")

    class Meta:
        verbose_name = _("article de veille")
        verbose_name_plural = _("articles de veille")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="veille_item_unique_guid")
        ]

    def __str__(self):
        return self.title or self.link

    def get_absolute_url(self):
        # Items have no page of their own: they link out to the publisher (only ever to a
        # web address, whatever a row holds: search results use this as an href).
        return self.link if is_web_url(self.link) else reverse("veille:items")

    def summary_text(self) -> str:
        return strip_html(self.summary_html)

    def indexed_summary(self) -> str:
        # Full articles can be long; their start is what a search needs (stemming is costly).
        return self.summary_text()[:INDEXED_SUMMARY_CHARS]

    def search_summary(self) -> str:
        return self.summary_text()


class KeywordRule(models.Model):
    """Items whose title or summary holds one of ``keywords`` get ``theme``."""

    theme = models.ForeignKey(
        "taxonomy.Theme", models.CASCADE, related_name="veille_rules", verbose_name=_("thème")
    )
    keywords = models.TextField(
        _("mots-clés"),
        help_text=_("Un mot ou une expression par ligne (ou séparés par des virgules). "
                    "Majuscules et accents ne comptent pas ; les mots entiers seulement."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("règle de thème")
        verbose_name_plural = _("règles de thème")
        ordering = ["theme__name", "pk"]

    def __str__(self):
        return f"{self.theme} ← {', '.join(self.keyword_list()[:5])}"

    def keyword_list(self) -> list[str]:
        raw = self.keywords.replace(",", "\n").splitlines()
        return [word.strip() for word in raw if word.strip()]


class ItemMention(models.Model):
    """A known initiative named in an item: suggested by name match, reviewed by staff."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("suggéré")
        ACCEPTED = "accepted", _("accepté")
        REJECTED = "rejected", _("rejeté")

    item = models.ForeignKey(Item, models.CASCADE, related_name="mentions")
    initiative = models.ForeignKey(
        "initiatives.Initiative", models.CASCADE, related_name="veille_mentions",
        verbose_name=_("initiative"),
    )  # fmt: skip
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.SUGGESTED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mention d'initiative")
        verbose_name_plural = _("mentions d'initiatives")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "initiative"], name="veille_mention_once")
        ]

    def __str__(self):
        return f"{self.initiative} ← {self.item}"
