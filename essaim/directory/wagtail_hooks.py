from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from essaim.directory.models import ContactLog, FacilitatorArea


class FacilitatorAreaViewSet(ModelViewSet):
    """The territories each cooperation facilitator covers (set by the staff)."""

    model = FacilitatorArea
    icon = "site"
    menu_label = _("Territoires d'animation")
    add_to_admin_menu = True
    menu_order = 170
    form_fields = ["user", "territory_key"]
    list_display = ["user", "label", "territory_key"]


class ContactLogViewSet(ModelViewSet):
    """Who wrote to whom through the relay forms, for abuse handling (no message text)."""

    model = ContactLog
    icon = "mail"
    menu_label = _("Messages relayés (annuaire)")
    add_to_admin_menu = True
    menu_order = 171
    form_fields = ["target_type", "target_id", "sender_email", "sender_name"]
    list_display = ["created_at", "target_type", "target_id", "sender_email", "sender_name"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_facilitator_areas():
    return FacilitatorAreaViewSet("facilitator_areas")


@hooks.register("register_admin_viewset")
def register_contact_log():
    return ContactLogViewSet("directory_contact_log")
