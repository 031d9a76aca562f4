from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from essaim.initiatives import admin_urls
from essaim.initiatives.models import ImportSource
from essaim.moderation.wagtail_hooks import ModerationMenuItem


class ImportSourceViewSet(ModelViewSet):
    model = ImportSource
    icon = "link"
    menu_label = _("Sources d'import")
    add_to_admin_menu = True
    menu_order = 161
    form_fields = ["name", "kind", "url", "publish_directly", "refresh_every_days", "licence"]
    list_display = ["name", "kind", "url", "last_imported_at"]


@hooks.register("register_admin_urls")
def register_initiatives_urls():
    return [path("initiatives/", include(admin_urls, namespace="initiatives_admin"))]


@hooks.register("register_admin_menu_item")
def register_duplicates_menu_item():
    return ModerationMenuItem(_("Doublons d'initiatives"), reverse("initiatives_admin:duplicates"),
                              icon_name="duplicate", order=151)  # fmt: skip


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    # Moderators import (the same people who may publish directly).
    return ModerationMenuItem(_("Importer des initiatives"), reverse("initiatives_admin:import"),
                              icon_name="upload", order=160)  # fmt: skip


@hooks.register("register_admin_viewset")
def register_import_source_viewset():
    return ImportSourceViewSet("import_sources")
