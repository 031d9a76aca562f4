"""Alerts: citizens subscribe by e-mail (double opt-in) to new initiatives near a commune;
moderators subscribe to new pending initiatives by theme or territory."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from essaim.accounts.roles import Role, has_role
from essaim.initiatives import notifications
from essaim.initiatives.models import Subscription
from essaim.moderation.antispam import AntiSpamFormMixin
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune, PostalCode
from essaim.territories.names import fold
from essaim.territories.territory import find_territory


def find_commune(text: str) -> Commune | None:
    """A commune from an INSEE code, a postal code, "Tours (37)" or a plain name."""
    text = text.strip()
    if len(text) == 5 and text[:2].isalnum() and text[2:].isdigit():
        commune = Commune.objects.filter(code=text.upper()).first()
        postal = PostalCode.objects.filter(code=text).select_related("commune").first()
        return commune or (postal.commune if postal else None)
    name, _sep, dept = text.partition(" (")
    communes = Commune.objects.filter(name_folded=fold(name)).order_by("-population")
    if dept:
        communes = communes.filter(departement_id=dept.rstrip(")").upper())
    return communes.first()


class NearbyAlertForm(AntiSpamFormMixin, forms.ModelForm):
    commune_text = forms.CharField(
        label=_("Commune"), max_length=100,
        help_text=_("Nom, code postal ou code INSEE, par exemple : Tours (37)."),
    )  # fmt: skip

    class Meta:
        model = Subscription
        fields = ["email", "radius_km", "frequency", "themes"]
        widgets = {"themes": forms.CheckboxSelectMultiple}
        help_texts = {"themes": _("Aucun thème coché : tous les thèmes.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = Subscription.Frequency.choices[1:]
        self.fields["radius_km"].widget.attrs.update(min=1, max=200)
        self.fields["themes"].queryset = Theme.objects.public()

    def clean_commune_text(self):
        commune = find_commune(self.cleaned_data["commune_text"])
        if commune is None:
            raise forms.ValidationError(_("Commune inconnue : essayez son code postal."))
        self.instance.commune = commune
        return self.cleaned_data["commune_text"]

    def clean_radius_km(self):
        radius = self.cleaned_data["radius_km"]
        if not 1 <= radius <= 200:
            raise forms.ValidationError(_("Entre 1 et 200 km."))
        return radius


class ModerationAlertForm(forms.ModelForm):
    class Meta:
        model = Subscription
        fields = ["territory_key", "themes", "frequency"]
        widgets = {"themes": forms.CheckboxSelectMultiple}
        help_texts = {"territory_key": _("Code INSEE d'une commune ou d'un département, "
                                         "« region-24 »… ; vide : partout.")}  # fmt: skip

    def clean_territory_key(self):
        key = self.cleaned_data["territory_key"].strip()
        if key and find_territory(key) is None:
            raise forms.ValidationError(_("Territoire inconnu."))
        return key


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    form = NearbyAlertForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        form.instance.kind = Subscription.Kind.NEARBY
        subscription = form.save()
        notifications.send_confirmation(subscription=subscription)
        return render(request, "initiatives/alerts/sent.html", {"email": subscription.email})
    return render(request, "initiatives/alerts/form.html", {"form": form})


@require_http_methods(["GET", "HEAD"])
def confirm(request, token: str):
    subscription = get_object_or_404(Subscription, token=token)
    notifications.confirm(subscription=subscription)
    return render(request, "initiatives/alerts/confirmed.html", {"subscription": subscription})


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    # A POST, so that mail scanners following links never unsubscribe anyone.
    subscription = get_object_or_404(Subscription, token=token)
    if request.method == "POST":
        subscription.delete()
        return render(request, "initiatives/alerts/unsubscribed.html")
    return render(request, "initiatives/alerts/unsubscribe.html", {"subscription": subscription})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def moderation_alerts(request):
    if not has_role(request.user, Role.MODERATOR):
        raise PermissionDenied
    form = ModerationAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.kind, form.instance.user = Subscription.Kind.MODERATION, request.user
        form.instance.email = request.user.email
        notifications.confirm(subscription=form.save())
        return redirect("initiatives:alert-moderation")
    mine = Subscription.objects.filter(user=request.user, kind=Subscription.Kind.MODERATION)
    return render(request, "initiatives/alerts/moderation.html",
                  {"form": form, "subscriptions": mine.prefetch_related("themes")})  # fmt: skip
