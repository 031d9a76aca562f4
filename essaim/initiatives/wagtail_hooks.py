from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from essaim.accounts.roles import Role, has_role
from essaim.initiatives.models import ImportSource
from essaim.initiatives.views import imports as import_views

admin_urls = (
    [
        path("", import_views.start, name="import"),
        path("<int:run_id>/", import_views.run_detail, name="import-run"),
    ],
    "initiatives_admin",
)


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.MODERATOR)


class ImportSourceViewSet(ModelViewSet):
    model = ImportSource
    icon = "link"
    menu_label = _("Sources d'import")
    add_to_admin_menu = True
    menu_order = 161
    form_fields = ["name", "kind", "url", "publish_directly", "refresh_every_days", "licence"]
    list_display = ["name", "kind", "url", "last_imported_at"]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("initiatives/imports/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Importer des initiatives"), reverse("initiatives_admin:import"),
                          icon_name="upload", order=160)  # fmt: skip


@hooks.register("register_admin_viewset")
def register_import_source_viewset():
    return ImportSourceViewSet("import_sources")
