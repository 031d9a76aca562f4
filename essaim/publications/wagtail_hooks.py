"""Back office: choosers for dossier items, the "push into a dossier" action on veille
picks, and the list of pushed picks."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from essaim.publications import admin_views
from essaim.publications.choosers import event_chooser, initiative_chooser, pick_chooser
from essaim.publications.models import DossierPick


@hooks.register("register_admin_viewset")
def register_choosers():
    return [initiative_chooser, event_chooser, pick_chooser]


class DossierPickViewSet(ModelViewSet):
    model = DossierPick
    icon = "pick"
    form_fields = ["dossier", "pick"]
    list_display = ["pick", "dossier", "pushed_at"]
    menu_label = _("Veille dans les dossiers")
    add_to_admin_menu = False  # reached from the veille picks and from each dossier


@hooks.register("register_admin_viewset")
def register_dossier_picks():
    return DossierPickViewSet("publications_dossier_picks")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("publications/pousser/<int:pick_id>/", admin_views.push_pick,
                 name="publications_push_pick")]  # fmt: skip


@hooks.register("register_veille_pick_buttons")
def push_pick_button(pick, user):
    if not user.has_perm("publications.add_dossierpick"):
        return []
    url = reverse("publications_push_pick", kwargs={"pick_id": pick.pk})
    return [MenuItem(_("Pousser dans un dossier"), url=url, icon_name="folder-open-inverse",
                     priority=25)]  # fmt: skip
