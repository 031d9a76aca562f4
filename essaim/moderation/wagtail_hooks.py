from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from essaim.accounts.roles import Role, has_role
from essaim.moderation import admin_urls


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.MODERATOR)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("moderation/", include(admin_urls, namespace="moderation_admin"))]


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        _("Modération"), reverse("moderation_admin:queue"), icon_name="warning", order=150
    )
