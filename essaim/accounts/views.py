import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from essaim.accounts import services
from essaim.accounts.forms import DeleteAccountForm, ProfileForm
from essaim.accounts.roles import held_roles


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre nom affiché a été enregistré."))
        return redirect("accounts:profile")
    roles = held_roles(request.user)
    return render(request, "accounts/profile.html", {"form": form, "roles": roles})


@never_cache
@login_required
@require_safe
def personal_data_download(request):
    data = services.personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-essaim.json"'
    return response


@never_cache
@login_required
@require_safe
def personal_data_page(request):
    """The same data as the JSON download, readable: one section per module."""
    data = services.personal_data(request.user)
    return render(request, "accounts/personal_data.html", {"sections": data.items()})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user=user, remove_contributions=form.remove_contributions)
        messages.success(request, _("Votre compte a été supprimé."))
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})
