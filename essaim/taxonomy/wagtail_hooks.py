from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from essaim.taxonomy.models import Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Thèmes")
    add_to_admin_menu = True
    list_display = ["__str__", "slug", "colour", "position"]
    search_fields = ["name", "slug"]

    def get_queryset(self, request):
        # The listing follows the tree: each theme then its sub-themes.
        return Theme.objects.tree_order().select_related("parent")


register_snippet(ThemeViewSet)
