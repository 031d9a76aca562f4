from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from essaim.initiatives import admin_urls
from essaim.moderation.wagtail_hooks import ModerationMenuItem


@hooks.register("register_admin_urls")
def register_initiatives_urls():
    return [path("initiatives/", include(admin_urls, namespace="initiatives_admin"))]


@hooks.register("register_admin_menu_item")
def register_duplicates_menu_item():
    return ModerationMenuItem(_("Doublons d'initiatives"), reverse("initiatives_admin:duplicates"),
                              icon_name="duplicate", order=151)  # fmt: skip
