"""The agenda in the back office: events listed and edited by staff, subscribed calendars
with their health and a "refresh now" button.

Proposals and reports reach moderators through the shared moderation queue (the agenda
registers Event with it in apps.py); this listing is for finding and correcting events.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from essaim.agenda import admin_views
from essaim.agenda.models import CalendarSource, Event


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


def _health(source: CalendarSource) -> str:
    if source.last_error:
        first_line = source.last_error.splitlines()[0][:120]
        return _("En erreur (%(n)s fois) : %(error)s") % {"n": source.failures,
                                                         "error": first_line}  # fmt: skip
    if source.last_success_at:
        return _("OK")
    return _("Jamais lue")


class CalendarSourceIndexView(IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if instance.url:
            url = reverse("agenda_admin:refresh-source", args=[instance.pk])
            buttons.insert(0, ListingButton(_("Actualiser"), url=url, icon_name="rotate",
                                            priority=5))  # fmt: skip
        return buttons


class CalendarSourceViewSet(ModelViewSet):
    model = CalendarSource
    index_view_class = CalendarSourceIndexView
    icon = "calendar"
    menu_label = _("Calendriers abonnés")
    add_to_admin_menu = True
    menu_order = 171
    form_fields = ["name", "url", "publish_directly", "refresh_every_hours", "licence"]
    list_display = [
        "name", "url", "publish_directly", "last_success_at",
        Column("health", label=_("État"), accessor=_health),
    ]  # fmt: skip

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "url":  # calendar addresses are https nowadays
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)


@hooks.register("register_admin_viewset")
def register_calendar_source_viewset():
    return CalendarSourceViewSet("agenda_calendar_sources")


@hooks.register("register_admin_urls")
def register_agenda_admin_urls():
    urls = [path("sources/<int:pk>/actualiser/", admin_views.refresh_source,
                 name="refresh-source")]  # fmt: skip
    return [path("agenda/", (urls, "agenda_admin", "agenda_admin"))]
