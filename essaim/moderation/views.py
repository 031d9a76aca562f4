"""The public report form: /signaler/<app_label>.<model_name>/<pk>/."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from essaim.moderation import services
from essaim.moderation.antispam import address_hash
from essaim.moderation.exceptions import AlreadyReported
from essaim.moderation.forms import ReportForm
from essaim.moderation.lookup import get_item


@require_http_methods(["GET", "POST"])
def report(request, type_label: str, pk: str):
    # Only registered types and publicly visible items: anything else is a 404.
    _entry, obj = get_item(type_label, pk, public_only=True)
    form = ReportForm(request.POST or None, request=request)
    if form.is_valid():
        try:
            services.report(obj=obj, reason=form.cleaned_data["reason"],
                            comment=form.cleaned_data["comment"], by=request.user,
                            address_hash=address_hash(request))  # fmt: skip
        except AlreadyReported:
            form.add_error(None, _("Vous avez déjà signalé ce contenu : l'équipe de modération "
                                   "va l'examiner."))  # fmt: skip
        else:
            return render(request, "moderation/report_done.html", {"object": obj})
    return render(request, "moderation/report_form.html", {"form": form, "object": obj})
