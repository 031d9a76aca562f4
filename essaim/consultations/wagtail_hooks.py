from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from essaim.consultations.models import Consultation


class ConsultationViewSet(ModelViewSet):
    model = Consultation
    icon = "comment"
    menu_label = _("Consultations")
    add_to_admin_menu = True
    menu_order = 170
    list_display = ["title", "organiser_name", "published"]
    list_filter = ["published", "participation"]
    search_fields = ["title"]
    panels = [
        FieldPanel("title"), FieldPanel("slug"), FieldPanel("summary"), FieldPanel("context"),
        FieldPanel("themes"), FieldPanel("territory_key"), FieldPanel("organiser_name"),
        FieldPanel("organisers"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("information_starts_at"), FieldPanel("proposals_start_at")]),
            FieldRowPanel([FieldPanel("discussion_starts_at"), FieldPanel("supports_start_at")]),
            FieldRowPanel([FieldPanel("answers_start_at"), FieldPanel("closes_at")]),
        ], heading=_("Phases")),
        MultiFieldPanel([
            FieldPanel("participation"), FieldPanel("invited_emails"),
            FieldPanel("max_supports"), FieldPanel("pre_moderated_comments"),
        ], heading=_("Règles de participation")),
        FieldPanel("published"),
    ]  # fmt: skip


@hooks.register("register_admin_viewset")
def register_consultation_viewset():
    return ConsultationViewSet("consultations_admin")
