from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from essaim.common.images import UploadedImageField
from essaim.directory.models import (
    Claim,
    Membership,
    OfferNeed,
    Organisation,
    OrganisationLink,
    PersonProfile,
    Visibility,
)
from essaim.moderation.forms import RelayedContactForm
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from essaim.territories.forms import resolve_commune
from essaim.territories.models import Commune, Departement


def commune_field(required=True):
    return forms.CharField(
        label=_("Commune"),
        max_length=100,
        required=required,
        help_text=_("Tapez le nom ou le code postal de la commune, par exemple « Tours »."),
        widget=forms.TextInput(
            attrs={
                "list": "commune-suggestions",
                "autocomplete": "off",
                "data-autocomplete-url": reverse_lazy("territories:autocomplete"),
            }
        ),
    )


def theme_field(label=None):
    return forms.ModelMultipleChoiceField(
        label=label or _("Thèmes"),
        queryset=Theme.objects.tree_order(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CommuneMixin:
    """Resolves ``commune_label`` (+ ``postal_code`` if the form has it) to ``commune``."""

    def clean(self):
        cleaned = super().clean()
        label = cleaned.get("commune_label", "")
        cleaned["commune"] = None
        if label:
            try:
                cleaned["commune"] = resolve_commune(
                    postal_code=cleaned.get("postal_code", ""), text=label
                )
            except ValidationError as error:
                self.add_error("commune_label", error)
        return cleaned


class OrganisationForm(CommuneMixin, forms.ModelForm):
    commune_label = commune_field()
    themes = theme_field()
    website = forms.URLField(
        label=_("Site web"), max_length=500, required=False, assume_scheme="https"
    )
    logo = UploadedImageField(label=_("Logo"), required=False)
    social_text = forms.CharField(
        label=_("Réseaux sociaux"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une adresse web par ligne."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "legal_form",
            "siret",
            "rna",
            "summary",
            "description",
            "themes",
            "address",
            "postal_code",
            "logo",
            "logo_alt",
            "website",
            "email",
            "email_public",
            "phone",
            "phone_public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.status == Status.PUBLISHED:
            # A pending version holds values, not files: a published logo changes by
            # writing to the team (the report form), the text alternative here.
            del self.fields["logo"]
        if self.instance.pk and not self.is_bound:
            if self.instance.commune_id:
                self.initial["commune_label"] = self.instance.commune.short_label
            self.initial["social_text"] = "\n".join(self.instance.social_links or [])

    def clean_social_text(self):
        lines = [line.strip() for line in self.cleaned_data["social_text"].splitlines()]
        validator = forms.URLField(assume_scheme="https")
        return [validator.clean(line) for line in lines if line][:10]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("logo") and not cleaned.get("logo_alt", "").strip():
            self.add_error("logo_alt", _("Décrivez le logo pour qui ne le voit pas."))
        for field in ("siret", "rna"):
            if value := cleaned.get(field):
                self._refuse_duplicate(field, value)
        return cleaned

    def _refuse_duplicate(self, field: str, value: str) -> None:
        """One organisation per SIRET/RNA: point to the existing public one (to claim it)."""
        others = Organisation.objects.filter(**{field: value}).exclude(pk=self.instance.pk)
        existing = others.first()
        if existing is None:
            return
        if existing.is_public:
            message = _(
                "« %(name)s » porte déjà ce numéro dans l'annuaire (%(url)s) : "
                "demandez plutôt à gérer sa fiche."
            )
            params = {"name": existing.name, "url": existing.get_absolute_url()}
        else:
            message, params = _("Une fiche avec ce numéro attend déjà la modération."), {}
        self.add_error(field, ValidationError(message, code="duplicate", params=params))

    def save(self, commit=True):
        organisation = super().save(commit=False)
        organisation.social_links = self.cleaned_data["social_text"]
        if commune := self.cleaned_data.get("commune"):
            organisation.commune = commune
            organisation.latitude, organisation.longitude = commune.latitude, commune.longitude
        if commit:
            organisation.save()
            self.save_m2m()
        return organisation

    def changes(self) -> dict:
        """The moderated fields' new values, for a pending version."""
        organisation = self.save(commit=False)
        values = {
            name: getattr(organisation, name)
            for name in Organisation.moderated_fields
            if name != "themes"
        }
        values["commune"] = organisation.commune
        if "logo" in self.fields and "logo" in self.changed_data:
            values["logo"] = self.cleaned_data["logo"]
        values["themes"] = list(self.cleaned_data["themes"])
        return values


class ClaimForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"message": _("Votre fonction, par exemple ; un·e modérateur·rice vérifie.")}


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de lien"), choices=OrganisationLink.Kind.choices)
    target = forms.ModelChoiceField(
        label=_("Organisation liée"), queryset=Organisation.objects.public().order_by("name")
    )


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail de son compte"),
        help_text=_("La personne doit déjà avoir un compte sur le site."),
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=Membership.Role.choices)

    def clean_email(self):
        from essaim.accounts.models import User

        user = User.objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            raise ValidationError(_("Aucun compte n'a cette adresse."))
        return user


class ContactForm(RelayedContactForm):
    antispam_scope = "directory-contact"


# --- people --------------------------------------------------------------------------------


VISIBILITY_LABELS = {
    "bio": _("Présentation"),
    "skills": _("Compétences"),
    "themes": _("Thèmes d'expertise"),
    "territories": _("Territoires d'action"),
    "availability": _("Disponibilités"),
    "website": _("Site web"),
    "email": _("E-mail"),
    "phone": _("Téléphone"),
}


class ProfileForm(forms.ModelForm):
    listed = forms.BooleanField(
        label=_("J'accepte d'apparaître dans l'annuaire des personnes"),
        required=False,
        help_text=_(
            "Sans cette case, votre profil n'est visible de personne. Vous pouvez "
            "la décocher ou supprimer votre profil à tout moment."
        ),
    )
    themes = theme_field(_("Thèmes d'expertise"))
    territory_codes = forms.CharField(
        label=_("Territoires où vous agissez"),
        required=False,
        max_length=300,
        help_text=_(
            "Codes INSEE de communes ou numéros de départements, séparés par des "
            "virgules, par exemple : 37, 41018."
        ),
    )
    website = forms.URLField(
        label=_("Site web"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = PersonProfile
        fields = [
            "name",
            "bio",
            "skills",
            "themes",
            "availability",
            "website",
            "email",
            "phone",
            "listed",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "email": _(
                "Jamais affichée sauf si vous la rendez publique ; les "
                "visiteurs vous écrivent par un formulaire."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in PersonProfile.VISIBLE_FIELDS:
            self.fields[f"vis_{field}"] = forms.ChoiceField(
                label=_("Visibilité : %(field)s") % {"field": VISIBILITY_LABELS[field]},
                choices=Visibility.choices,
                initial=self.instance.visibility_of(field),
            )
        if self.instance.pk and not self.is_bound:
            codes = [
                *self.instance.departements.values_list("code", flat=True),
                *self.instance.communes.values_list("code", flat=True),
            ]
            self.initial["territory_codes"] = ", ".join(codes)

    def visibility_fields(self):
        return [self[f"vis_{field}"] for field in PersonProfile.VISIBLE_FIELDS]

    def content_fields(self):
        return [f for f in self.visible_fields() if not f.name.startswith("vis_")]

    def clean_territory_codes(self):
        codes = [c.strip().upper() for c in self.cleaned_data["territory_codes"].split(",")]
        codes = [c for c in codes if c][:30]
        departements = list(Departement.objects.filter(code__in=codes))
        communes = list(Commune.objects.filter(code__in=codes))
        unknown = set(codes) - {d.code for d in departements} - {c.code for c in communes}
        if unknown:
            raise ValidationError(
                _("Codes inconnus : %(codes)s"), params={"codes": ", ".join(sorted(unknown))}
            )
        self.territories = {"departements": departements, "communes": communes}
        return codes

    def save(self, commit=False):
        profile = super().save(commit=False)
        profile.visibility = {
            field: self.cleaned_data[f"vis_{field}"] for field in PersonProfile.VISIBLE_FIELDS
        }
        return profile


class OfferNeedForm(CommuneMixin, forms.ModelForm):
    commune_label = commune_field(required=False)
    themes = theme_field()
    on_behalf = forms.ChoiceField(label=_("Publié au nom de"))

    class Meta:
        model = OfferNeed
        fields = ["direction", "kind", "title", "description", "themes", "until"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, organisations=(), profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"org-{o.pk}", o.name) for o in organisations]
        if profile is not None:
            choices.append(("person", _("Moi-même (%(name)s)") % {"name": profile.name}))
        self.fields["on_behalf"].choices = choices
        self.owners = {f"org-{o.pk}": o for o in organisations}
        self.profile = profile

    def save(self, commit=False):
        item = super().save(commit=False)
        owner = self.cleaned_data["on_behalf"]
        if owner == "person":
            item.person = self.profile
        else:
            item.organisation = self.owners[owner]
        item.commune = self.cleaned_data.get("commune") or (
            item.organisation.commune if item.organisation_id else None
        )
        return item
