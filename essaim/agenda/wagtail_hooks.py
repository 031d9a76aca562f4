"""The agenda in the back office: events listed and edited by staff.

Proposals and reports reach moderators through the shared moderation queue (the agenda
registers Event with it in apps.py); this listing is for finding and correcting events.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from essaim.agenda.models import Event


class EventViewSet(ModelViewSet):
    model = Event
    icon = "date"
    menu_label = _("Événements")
    add_to_admin_menu = True
    menu_order = 170
    list_display = ["title", "start", "commune", "status", "event_status"]
    list_filter = ["status", "event_status", "attendance_mode", "registration_mode"]
    search_fields = ["title", "summary", "organiser_name"]
    ordering = ["-start"]
    form_fields = [
        "title", "slug", "summary", "description", "themes", "organiser_name",
        "attendance_mode", "place_name", "address", "postal_code", "commune", "latitude",
        "longitude", "online_url", "timezone", "all_day", "start", "end", "rrule", "exdates",
        "event_status", "accessibility_motor", "accessibility_hearing", "accessibility_visual",
        "accessibility_mental", "accessibility_notes", "audience", "age_min", "age_max",
        "is_free", "price", "registration_mode", "registration_url", "capacity", "image",
        "image_alt", "image_credit", "licence", "status", "is_hidden",
    ]  # fmt: skip


@hooks.register("register_admin_viewset")
def register_event_viewset():
    return EventViewSet("agenda_events")
