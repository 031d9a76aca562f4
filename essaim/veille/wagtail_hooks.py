from datetime import timedelta

from django.db.models import Count, Q
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from essaim.veille import admin_views
from essaim.veille.models import DigestSubscription, ItemMention, KeywordRule, Pick, Source


class SourceIndexView(IndexView):
    def get_base_queryset(self):
        week_ago = timezone.now() - timedelta(days=7)
        return (
            super()
            .get_base_queryset()
            .annotate(items_per_week=Count("items", filter=Q(items__published_at__gte=week_ago)))
        )


class SourceViewSet(ModelViewSet):
    model = Source
    icon = "link"
    index_view_class = SourceIndexView
    form_fields = ["url", "title", "site_url", "themes", "is_public", "poll_interval"]
    list_display = ["__str__", "is_public", "last_success_at", "last_error", "items_per_week",
                    "next_poll_at"]  # fmt: skip
    list_filter = ["is_public"]
    search_fields = ["title", "url"]
    menu_label = _("Sources")


class KeywordRuleViewSet(ModelViewSet):
    model = KeywordRule
    icon = "tag"
    form_fields = ["theme", "keywords"]
    list_display = ["theme", "keywords"]
    menu_label = _("Règles de thème")


class PickIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        # Other modules add actions on a pick (e.g. publications: "push into a dossier")
        # through this hook: fn(pick, user) -> list of wagtail.admin.menu.MenuItem.
        buttons = super().get_list_more_buttons(instance)
        for hook in hooks.get_hooks("register_veille_pick_buttons"):
            buttons.extend(hook(instance, self.request.user))
        return buttons


class PickViewSet(ModelViewSet):
    model = Pick
    icon = "pick"
    index_view_class = PickIndexView
    form_fields = ["comment", "themes"]
    list_display = ["item", "picked_by", "picked_at"]
    menu_label = _("Sélection")


class ItemMentionViewSet(ModelViewSet):
    model = ItemMention
    icon = "link-external"
    form_fields = ["state"]
    list_display = ["item", "initiative", "state"]
    list_filter = ["state"]
    menu_label = _("Mentions d'initiatives")


class DigestSubscriptionViewSet(ModelViewSet):
    model = DigestSubscription
    icon = "mail"
    form_fields = ["email", "themes"]
    list_display = ["email", "confirmed_at", "last_sent_at"]
    menu_label = _("Abonnements à la lettre")


class VeilleGroup(ViewSetGroup):
    menu_label = _("Veille")
    menu_icon = "list-ul"
    menu_order = 170
    items = (SourceViewSet("veille_sources"), KeywordRuleViewSet("veille_rules"),
             PickViewSet("veille_picks"), ItemMentionViewSet("veille_mentions"),
             DigestSubscriptionViewSet("veille_subscriptions"))  # fmt: skip


@hooks.register("register_admin_viewset")
def register_veille_viewsets():
    return VeilleGroup()


class ImportOPMLMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("veille.add_source")


@hooks.register("register_admin_urls")
def register_veille_admin_urls():
    return [path("veille/", include(admin_views, namespace="veille_admin"))]


@hooks.register("register_admin_menu_item")
def register_import_opml_menu_item():
    return ImportOPMLMenuItem(_("Importer des sources (OPML)"),
                              reverse("veille_admin:import-opml"), icon_name="upload",
                              order=171)  # fmt: skip
