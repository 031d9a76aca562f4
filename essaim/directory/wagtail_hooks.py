from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from essaim.directory.models import ContactLog, FacilitatorArea, Membership, Organisation


class OrganisationViewSet(ModelViewSet):
    """Staff correct organisations here; their lifecycle stays in the moderators' queue."""

    model = Organisation
    icon = "group"
    menu_label = _("Organisations (annuaire)")
    add_to_admin_menu = True
    menu_order = 169
    form_fields = [
        "name",
        "kind",
        "legal_form",
        "siret",
        "rna",
        "summary",
        "description",
        "themes",
        "address",
        "postal_code",
        "website",
        "email",
        "email_public",
        "phone",
        "phone_public",
        "initiatives",
        "licence",
    ]
    list_display = ["name", "kind", "commune", "status", "updated_at"]
    list_filter = ["status", "kind", "legal_form"]
    search_fields = ["name", "siret", "rna"]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Membres des organisations")
    add_to_admin_menu = True
    menu_order = 172
    form_fields = ["organisation", "user", "role"]
    list_display = ["organisation", "user", "role"]


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


@hooks.register("register_admin_viewset")
def register_organisations():
    return OrganisationViewSet("directory_organisations")


@hooks.register("register_admin_viewset")
def register_memberships():
    return MembershipViewSet("directory_memberships")
