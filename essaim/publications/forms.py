"""The front-end proposal form: what a member writes without back-office training."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from essaim.common.html import clean_html
from essaim.common.images import ImageRejected, normalise
from essaim.common.licences import TEXT_DEFAULT, Licence
from essaim.taxonomy.forms import theme_groups
from essaim.taxonomy.models import Theme
from essaim.territories.territory import find_territory

BLOCK_TAG = re.compile(r"<(p|ul|ol|h[2-6]|blockquote|table)\b", re.IGNORECASE)


def body_html(text: str) -> str:
    """Paragraphs separated by blank lines, with simple inline HTML, or HTML with its own
    paragraphs; made safe either way."""
    text = text.strip().replace("\r\n", "\n")
    if not BLOCK_TAG.search(text):
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
        text = "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in paragraphs)
    return clean_html(text)


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    lead = forms.CharField(
        label=_("Chapô"), max_length=600, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Deux ou trois phrases qui donnent envie de lire la suite."),
    )  # fmt: skip
    body = forms.CharField(
        label=_("Texte"), widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Séparez les paragraphes par une ligne vide. Liens et listes en HTML simple "
                    "acceptés ; le reste est retiré."),
    )  # fmt: skip
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"), queryset=Theme.objects.tree_order(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    territory = forms.CharField(
        label=_("Territoire"), required=False, max_length=20,
        help_text=_("Facultatif. Code INSEE de la commune (ex. 45234) ou du département "
                    "(ex. 37), SIREN d'EPCI, ou region-24 pour toute la région."),
    )  # fmt: skip
    organisation_name = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices,
                                initial=TEXT_DEFAULT)  # fmt: skip
    image = forms.ImageField(label=_("Image (facultative)"), required=False)
    image_alt = forms.CharField(
        label=_("Texte alternatif de l'image"), required=False, max_length=300,
        help_text=_("Obligatoire avec une image : ce qu'elle montre, pour qui ne la voit pas."),
    )  # fmt: skip

    def theme_groups(self):
        return theme_groups(self["themes"])

    def clean_body(self):
        html = body_html(self.cleaned_data["body"])
        if not html.strip():
            raise forms.ValidationError(_("Le texte est vide."))
        return html

    def clean_territory(self):
        key = self.cleaned_data["territory"].strip()
        if key and find_territory(key) is None:
            raise forms.ValidationError(_("Territoire inconnu : %(key)s.") % {"key": key})
        return key

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if not image:
            return None
        try:
            return normalise(image)  # re-encoded: no EXIF, bounded size
        except ImageRejected as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("image_alt", "").strip():
            self.add_error("image_alt", _("Décrivez l'image pour qui ne la voit pas."))
        return data

    # --- to and from an article -----------------------------------------------------------

    def apply_to(self, article, *, user) -> None:
        """Copy the answers onto ``article`` (not saved)."""
        data = self.cleaned_data
        article.title = data["title"]
        article.draft_title = data["title"]
        article.lead = data["lead"]
        article.body = [("paragraph", _rich_text(data["body"]))]
        article.territory_key = data["territory"]
        article.organisation_name = data["organisation_name"]
        article.licence = data["licence"]
        article.themes.set(data["themes"])
        if data.get("image"):
            article.listing_image = _save_image(data["image"], data["image_alt"], user)

    @classmethod
    def initial_from(cls, article) -> dict:
        paragraphs = [b.value.source for b in article.body if b.block_type == "paragraph"]
        return {
            "title": article.title, "lead": article.lead, "body": "\n".join(paragraphs),
            "themes": list(article.themes.all()), "territory": article.territory_key,
            "organisation_name": article.organisation_name, "licence": article.licence,
            "image_alt": article.listing_image.description if article.listing_image else "",
        }  # fmt: skip


def _rich_text(html: str):
    from wagtail.rich_text import RichText

    return RichText(html)


def _save_image(upload, alt: str, user):
    image = get_image_model()(title=alt[:255], description=alt, uploaded_by_user=user)
    image.file = upload
    image.save()
    return image
