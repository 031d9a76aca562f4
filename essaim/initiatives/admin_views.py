"""Back-office pages for moderators: possible duplicates of pending initiatives, and merging."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essaim.initiatives import services
from essaim.initiatives.duplicates import duplicates_of
from essaim.initiatives.models import Initiative
from essaim.moderation.admin_views import moderator_required
from essaim.moderation.exceptions import ModerationError

MAX_ITEMS = 100


@moderator_required
def duplicates(request):
    """Each pending initiative with the public or pending ones it may duplicate."""
    pending = Initiative.objects.pending().select_related("commune").order_by("submitted_at")
    rows = [(item, found) for item in pending[:MAX_ITEMS] if (found := duplicates_of(item))]
    title = _("Doublons possibles")  # header_title: the <title>, see views.imports.titled
    context = {"rows": rows, "page_title": title, "header_title": title, "header_icon": "duplicate"}
    return TemplateResponse(request, "initiatives/admin/duplicates.html", context)


@require_POST
@moderator_required
def merge(request):
    """Keep one initiative, fill its empty fields from the other, withdraw the other."""
    keep = get_object_or_404(Initiative, pk=request.POST.get("keep"))
    duplicate = get_object_or_404(Initiative, pk=request.POST.get("duplicate"))
    try:
        services.merge_initiatives(keep=keep, duplicate=duplicate, by=request.user)
    except (ModerationError, ValueError):
        messages.error(request, _("Ces deux fiches ne peuvent pas être fusionnées."))
    else:
        messages.success(request, _("« %(b)s » est fusionnée dans « %(a)s ».")
                         % {"a": keep.name, "b": duplicate.name})  # fmt: skip
    return redirect("initiatives_admin:duplicates")
