"""API keys in the back office (Paramètres › Clés d'API): made, limited and revoked there.

The key is shown once, in the confirmation message after it is made; only its digest
is stored, so a lost key is revoked and replaced, never recovered.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from essaim.api.models import ApiKey


class ApiKeyCreateView(CreateView):
    def save_instance(self):
        self.issued_key = self.form.instance.issue()
        return super().save_instance()

    def get_success_message(self, instance):
        return _("Clé d'API « %(name)s » créée : %(key)s — copiez-la maintenant, "
                 "elle ne sera plus jamais affichée.") % {"name": instance.name,
                                                         "key": self.issued_key}  # fmt: skip


class ApiKeyViewSet(SnippetViewSet):
    model = ApiKey
    icon = "key"
    menu_label = gettext_lazy("Clés d'API")
    add_to_settings_menu = True
    add_view_class = ApiKeyCreateView
    list_display = ["name", "prefix", "rate_limit", "is_active", "last_used_on"]
    search_fields = ["name", "contact_email"]
    form_fields = ["name", "contact_email", "rate_limit", "is_active"]


register_snippet(ApiKeyViewSet)
