"""Public forms of the initiatives module: propose, edit, contact."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from essaim.common.images import UploadedImageField
from essaim.initiatives.models import GeocodingState, Initiative
from essaim.moderation.antispam import AntiSpamFormMixin
from essaim.moderation.forms import RelayedContactForm
from essaim.taxonomy.forms import theme_groups
from essaim.taxonomy.models import Theme
from essaim.territories.forms import resolve_commune
from essaim.territories.models import Commune

MAX_SOCIAL_LINKS = 10


class SocialLinksField(forms.CharField):
    """Web addresses, one per line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
        if len(lines) > MAX_SOCIAL_LINKS:
            raise ValidationError(_("%(max)d adresses au plus."), params={"max": MAX_SOCIAL_LINKS})
        for line in lines:
            message = _("« %(value)s » n'est pas une adresse web valide.")
            URLValidator(schemes=["http", "https"], message=message)(line)
        return lines

    def validate(self, value):
        return None

    def run_validators(self, value):
        return None


class InitiativeForm(forms.ModelForm):
    """The fields people fill in, for a proposal as for an edit."""

    commune_label = forms.CharField(
        label=_("Commune"),
        max_length=100,
        help_text=_("Tapez le début du nom ou le code postal, puis choisissez dans la liste."),
        widget=forms.TextInput(attrs={
            "list": "commune-suggestions", "autocomplete": "off",
            "data-autocomplete-url": reverse_lazy("territories:autocomplete"),
        }),
    )  # fmt: skip
    website = forms.URLField(label=_("Site web"), max_length=500, required=False,
                             assume_scheme="https")  # fmt: skip
    social_links = SocialLinksField(
        label=_("Réseaux sociaux"), required=False, help_text=_("Une adresse web par ligne.")
    )
    image = UploadedImageField(label=_("Image"), required=False)

    class Meta:
        model = Initiative
        fields = [
            "name", "summary", "description", "themes", "address", "postal_code",
            "latitude", "longitude", "email", "email_public", "phone", "website",
            "social_links", "opening_hours", "legal_form", "siret", "rna", "organisation_name",
            "image", "image_alt", "image_credit",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2, "maxlength": 280}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "latitude": forms.HiddenInput,
            "longitude": forms.HiddenInput,
            "postal_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 5}
            ),  # fmt: skip
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "address": _("Numéro et rue, ou lieu-dit."),
            "siret": _("14 chiffres, s'il existe."),
            "rna": _("W suivi de 9 chiffres, pour une association."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.tree_order().select_related("parent")
        self.fields["themes"].required = True
        self.fields["themes"].label_from_instance = lambda theme: theme.name
        if self.instance.commune_id and not self.is_bound:
            self.initial["commune_label"] = self.instance.commune.short_label

    @property
    def theme_groups(self):
        return theme_groups(self["themes"])

    def clean(self):
        cleaned = super().clean()
        if "commune_label" in cleaned:
            try:
                cleaned["commune"] = resolve_commune(
                    postal_code=cleaned.get("postal_code", ""), text=cleaned["commune_label"]
                )
            except ValidationError as error:
                self.add_error("commune_label", error)
        if cleaned.get("image") and not cleaned.get("image_alt", "").strip():
            self.add_error(
                "image_alt", _("Décrivez l'image pour les personnes qui ne la voient pas.")
            )
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        commune = self.cleaned_data.get("commune")
        if commune is not None:
            self.instance.commune = commune
            self._place(commune)

    def _place(self, commune: Commune) -> None:
        """A pin placed on the map wins; without one, the commune's point."""
        lat, lon = self.cleaned_data.get("latitude"), self.cleaned_data.get("longitude")
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            if (lat, lon) != (self.initial.get("latitude"), self.initial.get("longitude")):
                self.instance.geocoding = GeocodingState.MANUAL
            return
        self.instance.latitude, self.instance.longitude = commune.latitude, commune.longitude
        self.instance.geocoding = GeocodingState.COMMUNE

    def changes(self) -> dict:
        """The proposed values of every moderated field, for an edit."""
        image = self.instance.image
        if image and not image._committed:  # a new upload: stored now, applied if accepted
            image.save(image.name, image.file, save=False)
        values = {name: getattr(self.instance, name) for name in Initiative.moderated_fields
                  if name != "themes"}  # fmt: skip
        values["commune"] = self.instance.commune
        return {**values, "themes": list(self.cleaned_data["themes"])}


class ProposalForm(AntiSpamFormMixin, InitiativeForm):
    antispam_scope = "initiative-proposal"

    proposer_email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Pour vous envoyer le lien de modification et la décision de "
                    "modération. Elle ne sera pas publiée."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip
    not_duplicate = forms.BooleanField(
        label=_("Ce n'est pas un doublon : mon initiative n'est aucune de celles-ci."),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            del self.fields["proposer_email"]


class EditForm(InitiativeForm):
    """The owner's edit (through the secret link or signed in)."""

    def __init__(self, *args, instance, **kwargs):
        # The form writes on a copy: a published initiative must stay as it is until a
        # moderator accepts the pending version.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.initial.setdefault("themes", [t.pk for t in instance.themes.all()])


class ContactForm(RelayedContactForm):
    antispam_scope = "initiative-contact"
    email_help_text = _("Pour que l'initiative puisse vous répondre.")
