from django import forms
from django.utils.translation import gettext_lazy as _

from essaim.moderation.antispam import AntiSpamFormMixin
from essaim.taxonomy.models import Theme
from essaim.veille.models import DigestSubscription, Pick


def theme_field(**kwargs) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        Theme.objects.tree_order(), required=False, label=_("Thèmes"), **kwargs
    )


class PickForm(forms.ModelForm):
    themes = theme_field(help_text=_("Plusieurs choix : Ctrl ou Cmd + clic."))

    class Meta:
        model = Pick
        fields = ["comment", "themes"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}
        labels = {"comment": _("Commentaire (public)")}


class SubscribeForm(AntiSpamFormMixin, forms.ModelForm):
    themes = theme_field(widget=forms.CheckboxSelectMultiple,
                         help_text=_("Aucun thème coché : toute la sélection."))  # fmt: skip

    class Meta:
        model = DigestSubscription
        fields = ["email", "themes"]
        labels = {"email": _("Votre adresse e-mail")}


class OPMLImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier OPML"))
    is_public = forms.BooleanField(label=_("Sources publiques"), required=False, initial=True)
    themes = theme_field()
