"""Publications: articles and thematic dossiers, as Wagtail pages.

/articles/ and /dossiers/ are the two index pages (created by a data migration under the
default site's root). Public means live and without view restriction: every list, feed,
section and sitemap starts from ``ArticlePage.objects.visible()``.
"""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from essaim.common.html import strip_html
from essaim.common.licences import licence_field
from essaim.common.pages import EssaimPageQuerySet
from essaim.publications.blocks import ArticleBodyBlock, DossierItemsBlock, validate_territory

WORDS_PER_MINUTE = 200
# Paths of publications.urls under /articles/: an article with one of these slugs would be
# shadowed by the route, unreachable.
RESERVED_ARTICLE_SLUGS = frozenset({"proposer", "mes-propositions"})
TERRITORY_LEVELS = ("region", "departement", "epci", "commune")


class PublicationQuerySet(EssaimPageQuerySet):
    def visible(self):
        """What an anonymous visitor may see: live pages without view restriction."""
        return self.live().public()

    def of_theme(self, theme):
        """Pages classified under ``theme`` or one of its sub-themes."""
        ids = theme.family_ids()
        return self.filter(pk__in=self.model.themes.through.objects.filter(
            theme_id__in=ids).values(self.model.themes.field.m2m_column_name()))  # fmt: skip

    def in_territory(self, territory):
        """Pages whose territory lies in ``territory`` (any level)."""
        return self.filter(**{f"territory_{territory.level}": territory.pk})


PublicationManager = PageManager.from_queryset(PublicationQuerySet)


class TerritoryMixin(models.Model):
    """A territory key (any level) with its enclosing codes, so that filtering by any
    territory is one indexed equality."""

    territory_key = models.CharField(
        _("territoire"), max_length=20, blank=True, validators=[validate_territory],
        help_text=_("Code INSEE de commune ou de département, SIREN d'EPCI, ou region-24."),
    )  # fmt: skip
    territory_label = models.CharField(max_length=200, blank=True, editable=False)
    territory_region = models.CharField(max_length=2, blank=True, db_index=True, editable=False)
    territory_departement = models.CharField(
        max_length=3, blank=True, db_index=True, editable=False
    )
    territory_epci = models.CharField(max_length=9, blank=True, db_index=True, editable=False)
    territory_commune = models.CharField(max_length=5, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True

    def locate(self) -> None:
        """Fill the enclosing codes from ``territory_key``."""
        from essaim.territories.territory import find_territory, parents

        territory = find_territory(self.territory_key) if self.territory_key else None
        for level in TERRITORY_LEVELS:
            setattr(self, f"territory_{level}", "")
        self.territory_label = territory.short_label if territory else ""
        for place in [*parents(territory), territory] if territory else []:
            setattr(self, f"territory_{place.level}", place.pk)


class ArticleIndexPage(Page):
    """/articles/: the list of articles, filtered by theme and territory."""

    introduction = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["publications.ArticlePage"]
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("liste des articles")

    def get_context(self, request, *args, **kwargs):
        from essaim.publications import listing

        context = super().get_context(request, *args, **kwargs)
        context.update(listing.article_list_context(request, self))
        return context


class ArticlePage(TerritoryMixin, Page):
    lead = models.TextField(_("chapô"), max_length=600)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("corps"), blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    themes = ParentalManyToManyField(
        "taxonomy.Theme", related_name="articles", verbose_name=_("thèmes"), blank=True
    )
    licence = licence_field()
    date = models.DateField(
        _("date de publication"), null=True, blank=True,
        help_text=_("Par défaut, la date de la première publication."),
    )  # fmt: skip
    reading_minutes = models.PositiveSmallIntegerField(
        _("temps de lecture (minutes)"), default=1, editable=False
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("image de présentation"),
        help_text=_("Son texte alternatif est la description de l'image."),
    )  # fmt: skip

    objects = PublicationManager()

    parent_page_types = ["publications.ArticleIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("listing_image"),
        FieldPanel("body"),
        InlinePanel("authors", label=_("auteur·rices")),
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("themes"),
                FieldPanel("territory_key"),
                FieldPanel("licence"),
                FieldPanel("date"),
            ],
            heading=_("Classement et licence"),
        ),  # fmt: skip
    ]
    search_fields = Page.search_fields + [
        index.SearchField("lead", boost=2),
        index.SearchField("body"),
        index.SearchField("organisation_name"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("territory_commune"),
    ]
    search_type_label = _("Articles")

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.locate()
        self.reading_minutes = reading_minutes(self.body_text())
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.slug in RESERVED_ARTICLE_SLUGS:
            raise ValidationError(
                {
                    "slug": _(
                        "« %(slug)s » est une adresse réservée du site : choisissez-en une autre."
                    )
                    % {"slug": self.slug}
                }
            )

    def body_text(self) -> str:
        parts = [self.lead]
        for block in self.body:
            if block.block_type == "paragraph":
                parts.append(strip_html(block.value.source))
            elif block.block_type in {"heading", "quote"}:
                parts.append(block.value.get("text", ""))
        return " ".join(parts)

    def search_summary(self) -> str:
        return self.lead

    @property
    def published_on(self):
        """The date shown and exported: the editor's, else the first publication's."""
        if self.date:
            return self.date
        first = self.first_published_at or self.latest_revision_created_at or timezone.now()
        return timezone.localdate(first)

    @cached_property
    def author_names(self) -> list[str]:
        # An author whose account was deleted (contributions kept) has no name left.
        return [author.name for author in self.authors.all() if author.name]

    def get_context(self, request, *args, **kwargs):
        from essaim.publications.structured_data import article_document, script_json

        context = super().get_context(request, *args, **kwargs)
        url = request.build_absolute_uri(self.get_url(request))
        image = self.listing_image.get_rendition("fill-1200x630") if self.listing_image else None
        context.update(canonical_url=url, og_image=image)
        document = article_document(self, url=url, image_url=image.url if image else "")
        context["jsonld"] = script_json(document)
        return context


def reading_minutes(text: str) -> int:
    return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))


class ArticleAuthor(Orderable):
    """An author: a person of the network (an account) or a guest named in full."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="authors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("membre du réseau"),
    )  # fmt: skip
    guest_name = models.CharField(_("ou nom de l'auteur·rice invité·e"), max_length=200,
                                  blank=True)  # fmt: skip

    panels = [FieldPanel("user"), FieldPanel("guest_name")]

    class Meta(Orderable.Meta):
        verbose_name = _("auteur·rice")

    def clean(self):
        if not self.user_id and not self.guest_name.strip():
            raise ValidationError(_("Choisissez un membre du réseau ou nommez l'invité·e."))

    @property
    def name(self) -> str:
        return self.guest_name or (str(self.user) if self.user_id else "")


class DossierIndexPage(Page):
    """/dossiers/: the thematic dossiers."""

    introduction = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["publications.DossierPage"]
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("liste des dossiers")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["dossiers"] = (
            DossierPage.objects.child_of(self).visible().select_related("theme", "listing_image")
            .order_by("title")
        )  # fmt: skip
        return context


class DossierPage(TerritoryMixin, Page):
    """An editor's curation of a theme: introduction, chosen items, kept-current sections."""

    theme = models.ForeignKey(
        "taxonomy.Theme", models.SET_NULL, null=True, blank=True, related_name="dossiers",
        verbose_name=_("thème"),
        help_text=_("Les sections « toujours à jour » suivent ce thème."),
    )  # fmt: skip
    lead = models.TextField(_("chapô"), max_length=600)
    introduction = RichTextField(_("introduction"), features=["bold", "italic", "link", "ol",
                                                               "ul"], blank=True)  # fmt: skip
    items = StreamField(DossierItemsBlock(), verbose_name=_("éléments choisis"), blank=True)
    licence = licence_field()
    listing_image = models.ForeignKey(
        "wagtailimages.Image", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("image de présentation"),
    )  # fmt: skip

    objects = PublicationManager()

    parent_page_types = ["publications.DossierIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("lead"), FieldPanel("theme"), FieldPanel("territory_key"),
        FieldPanel("listing_image"), FieldPanel("introduction"), FieldPanel("items"),
        FieldPanel("licence"),
    ]  # fmt: skip
    search_fields = Page.search_fields + [
        index.SearchField("lead", boost=2),
        index.SearchField("introduction"),
        index.RelatedFields("theme", [index.SearchField("name")]),
    ]
    search_type_label = _("Dossiers")

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.locate()
        super().save(*args, **kwargs)

    @property
    def themes_list(self) -> list:
        return [self.theme] if self.theme_id else []

    def search_summary(self) -> str:
        return self.lead

    def get_context(self, request, *args, **kwargs):
        from essaim.publications import dossiers
        from essaim.publications.structured_data import dossier_document, script_json

        context = super().get_context(request, *args, **kwargs)
        context["visible_items"] = items = dossiers.visible_items(self)
        context["current"] = dossiers.kept_current(self)
        url = request.build_absolute_uri(self.get_url(request))
        image = self.listing_image.get_rendition("fill-1200x630") if self.listing_image else None
        parts = [request.build_absolute_uri(dossiers.item_url(item)) for item in items
                 if item["type"] != "heading"]  # fmt: skip
        document = dossier_document(self, url=url, image_url=image.url if image else "",
                                    parts=parts)  # fmt: skip
        context.update(canonical_url=url, og_image=image, jsonld=script_json(document))
        return context


class DossierPick(models.Model):
    """A veille pick pushed into a dossier from the veille side (issue #6)."""

    dossier = models.ForeignKey(DossierPage, models.CASCADE, related_name="pushed_picks",
                                verbose_name=_("dossier"))  # fmt: skip
    pick = models.ForeignKey("veille.Pick", models.CASCADE, related_name="dossier_links",
                             verbose_name=_("sélection"))  # fmt: skip
    pushed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                  blank=True, related_name="+")  # fmt: skip
    pushed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sélection poussée dans un dossier")
        verbose_name_plural = _("sélections poussées dans les dossiers")
        constraints = [models.UniqueConstraint(fields=["dossier", "pick"], name="one_push")]
        ordering = ["-pushed_at", "-pk"]

    def __str__(self):
        return f"{self.pick} → {self.dossier}"
