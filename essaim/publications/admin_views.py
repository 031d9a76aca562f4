"""Back office: push a veille pick into a thematic dossier (issue #6)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essaim.publications import services
from essaim.publications.models import DossierPage
from essaim.veille.models import Pick


class PushPickForm(forms.Form):
    dossier = forms.ModelChoiceField(label=gettext_lazy("Dossier"),
                                     queryset=DossierPage.objects.order_by("title"))  # fmt: skip


def push_pick(request, pick_id):
    if not request.user.has_perm("publications.add_dossierpick"):
        raise PermissionDenied
    pick = get_object_or_404(Pick.objects.select_related("item"), pk=pick_id)
    form = PushPickForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dossier = form.cleaned_data["dossier"]
        services.push_pick(pick=pick, dossier=dossier, user=request.user)
        text = _("« %(pick)s » figure désormais dans le dossier « %(dossier)s ».")
        messages.success(request, text % {"pick": pick, "dossier": dossier.title})
        return redirect("veille_picks:index")
    return TemplateResponse(request, "publications/admin/push_pick.html",
                            {"form": form, "pick": pick})  # fmt: skip
