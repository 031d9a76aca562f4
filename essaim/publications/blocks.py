"""StreamField blocks of articles and dossiers.

Every block renders with a template under ``publications/blocks/``. Rich text goes out
through the ``rich_text`` filter (sanitised at output) like every stored HTML.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from essaim.publications import video
from essaim.publications.choosers import event_chooser, initiative_chooser, pick_chooser

# No headings (a block of their own, so the outline stays in order), no images, no embeds.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
MAX_EVENTS = 20


def theme_choices():
    from essaim.taxonomy.models import Theme

    return [("", _("Tous les thèmes"))] + [(t.slug, str(t)) for t in Theme.objects.tree_order()]


def validate_territory(key: str) -> None:
    from essaim.territories.territory import find_territory

    if key and find_territory(key) is None:
        raise ValidationError(
            _(
                "Territoire inconnu : %(key)s (code INSEE de commune, département, SIREN d'EPCI "
                "ou region-24)."
            )
            % {"key": key}  # fmt: skip
        )


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("texte"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("niveau"), choices=[("h2", _("Intertitre")), ("h3", _("Sous-intertitre"))],
        default="h2",
    )  # fmt: skip

    class Meta:
        icon = "title"
        label = _("Intertitre")
        template = "publications/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("texte alternatif"), required=False, max_length=300,
        help_text=_("Ce que l'image apporte au texte, pour qui ne la voit pas."),
    )  # fmt: skip
    decorative = blocks.BooleanBlock(
        label=_("image décorative (pas de texte alternatif)"), required=False
    )
    caption = blocks.CharBlock(label=_("légende"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("crédit"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "publications/blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("alt", "").strip() and not value.get("decorative"):
            raise StructBlockValidationError(
                {"alt": ValidationError(_("Texte alternatif obligatoire, sauf image décorative."))}
            )
        return value


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("citation"))
    source = blocks.CharBlock(label=_("source"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "publications/blocks/quote.html"


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label=_("adresse de la vidéo"),
        help_text=_("YouTube, Vimeo ou une instance PeerTube autorisée."),
    )
    title = blocks.CharBlock(label=_("titre de la vidéo"), max_length=200)

    class Meta:
        icon = "media"
        label = _("Vidéo")
        template = "publications/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if video.player_url(value["url"]) is None:
            raise StructBlockValidationError(
                {"url": ValidationError(_("Hébergeur de vidéo non autorisé."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["player_url"] = video.player_url(value["url"])
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(label=_("intitulé du lien"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "publications/blocks/document.html"


class FilteredViewBlock(blocks.StructBlock):
    """What the map and agenda blocks share: a theme and a territory."""

    title = blocks.CharBlock(label=_("titre"), max_length=200)
    theme = blocks.ChoiceBlock(label=_("thème"), choices=theme_choices, required=False)
    territory = blocks.CharBlock(
        label=_("territoire"), required=False, max_length=20, validators=[validate_territory],
        help_text=_("Code INSEE de commune ou de département, SIREN d'EPCI, ou region-24."),
    )  # fmt: skip

    def query(self, value) -> str:
        from urllib.parse import urlencode

        params = {"theme": value.get("theme"), "territoire": value.get("territory")}
        return urlencode({key: val for key, val in params.items() if val})


class MapBlock(FilteredViewBlock):
    class Meta:
        icon = "site"
        label = _("Carte des initiatives")
        template = "publications/blocks/map.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["query"] = self.query(value)
        return context


class AgendaBlock(FilteredViewBlock):
    count = blocks.IntegerBlock(label=_("nombre de dates"), default=5, min_value=1,
                                max_value=MAX_EVENTS)  # fmt: skip

    class Meta:
        icon = "date"
        label = _("Prochains événements")
        template = "publications/blocks/agenda.html"

    def get_context(self, value, parent_context=None):
        from essaim.agenda import filters

        context = super().get_context(value, parent_context)
        params = {"theme": value.get("theme") or "", "territoire": value.get("territory") or ""}
        chosen = filters.parse(params)
        context["occurrences"] = list(filters.occurrences(chosen)[: value.get("count") or 5])
        context["query"] = self.query(value)
        return context


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"), features=PARAGRAPH_FEATURES,
        template="publications/blocks/paragraph.html",
    )  # fmt: skip
    heading = HeadingBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    document = DocumentBlock()
    map = MapBlock()
    agenda = AgendaBlock()


InitiativeChooserBlock = initiative_chooser.get_block_class(
    name="InitiativeChooserBlock", module_path="essaim.publications.blocks"
)
EventChooserBlock = event_chooser.get_block_class(
    name="EventChooserBlock", module_path="essaim.publications.blocks"
)
PickChooserBlock = pick_chooser.get_block_class(
    name="PickChooserBlock", module_path="essaim.publications.blocks"
)


class DossierItemsBlock(blocks.StreamBlock):
    """The curated items of a dossier; pages of any type (articles, later experiences)."""

    page = blocks.PageChooserBlock(label=_("Page (article, expérience…)"))
    initiative = InitiativeChooserBlock(label=_("Initiative"))
    event = EventChooserBlock(label=_("Événement"))
    pick = PickChooserBlock(label=_("Sélection de veille"))
    heading = HeadingBlock()
