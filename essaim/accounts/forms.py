from django import forms
from django.utils.translation import gettext_lazy as _

from essaim.accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "nickname"})}


class DeleteAccountForm(forms.Form):
    """Asks for the password again: deleting an account cannot be undone."""

    KEEP, REMOVE = "garder", "supprimer"
    contributions = forms.ChoiceField(
        label=_("Vos contributions"),
        choices=[
            (KEEP, _("Garder mes contributions publiées, sans mon nom")),
            (REMOVE, _("Supprimer aussi mes contributions")),
        ],
        initial=KEEP,
        required=False,  # not chosen: kept, the choice that loses nothing
        widget=forms.RadioSelect,
    )

    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce mot de passe n'est pas le bon."))
        return password

    @property
    def remove_contributions(self) -> bool:
        return self.cleaned_data.get("contributions") == self.REMOVE
