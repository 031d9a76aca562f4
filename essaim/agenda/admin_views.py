"""Back-office pages of the agenda: refreshing a subscribed calendar now."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from essaim.agenda import tasks
from essaim.agenda.imports.sources import next_refresh
from essaim.agenda.models import CalendarSource
from essaim.moderation.admin_views import moderator_required


@moderator_required
def refresh_source(request, pk: int):
    """GET: confirm; POST: queue the refresh (the worker runs it, the list shows the result)."""
    source = get_object_or_404(CalendarSource, pk=pk)
    if request.method == "POST":
        if not source.url:
            messages.error(request, _("Cette source n'a pas d'adresse à relire."))
        else:
            tasks.refresh_calendar_source.enqueue(source_id=source.pk)
            messages.success(request, _("Actualisation de « %(name)s » demandée.")
                             % {"name": source.name})  # fmt: skip
        return redirect("agenda_calendar_sources:index")
    context = {"source": source, "next_refresh": next_refresh(source), "header_icon": "calendar",
               "page_title": _("Actualiser « %(name)s »") % {"name": source.name}}  # fmt: skip
    return TemplateResponse(request, "agenda/admin/refresh_source.html", context)
