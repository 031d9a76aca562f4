"""Back-office choosers for what a sheet links to: initiatives, events, communes, people.

There may be a million initiatives, 35,000 communes, thousands of events and people: a
plain <select> of all of them would make the sheet's edit form unusable (4 MB with the
communes alone), hence searchable choosers. Their
widgets are given to the panels explicitly (``register_widget = False``) so that other
apps' forms keep their own widgets.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet


class InitiativeChooserViewSet(ChooserViewSet):
    model = "initiatives.Initiative"
    icon = "site"
    choose_one_text = _("Choisir une initiative")
    choose_another_text = _("Choisir une autre initiative")
    register_widget = False


class EventChooserViewSet(ChooserViewSet):
    model = "agenda.Event"
    icon = "date"
    choose_one_text = _("Choisir un événement")
    choose_another_text = _("Choisir un autre événement")
    register_widget = False


class CommuneChooserViewSet(ChooserViewSet):
    model = "territories.Commune"
    icon = "site"
    choose_one_text = _("Choisir une commune")
    choose_another_text = _("Choisir une autre commune")
    register_widget = False


class UserFilterForm(BaseFilterForm):
    """People are not in the search index: a plain look-up on name and e-mail."""

    q = forms.CharField(label=_("Nom ou adresse e-mail"), required=False)

    def filter(self, objects):
        if query := (self.cleaned_data.get("q") or "").strip():
            self.is_searching, self.search_query = True, query
            objects = objects.filter(Q(display_name__icontains=query) | Q(email__icontains=query))
        return super().filter(objects)


class UserChooseView(ChooseView):
    filter_form_class = UserFilterForm
    ordering = ["display_name", "email"]


class UserChooseResultsView(ChooseResultsView):
    filter_form_class = UserFilterForm
    ordering = ["display_name", "email"]


class UserChooserViewSet(ChooserViewSet):
    model = "accounts.User"
    icon = "user"
    choose_one_text = _("Choisir une personne")
    choose_another_text = _("Choisir une autre personne")
    choose_view_class = UserChooseView
    choose_results_view_class = UserChooseResultsView
    register_widget = False


initiative_chooser = InitiativeChooserViewSet("experiences_initiative_chooser")
event_chooser = EventChooserViewSet("experiences_event_chooser")
commune_chooser = CommuneChooserViewSet("experiences_commune_chooser")
user_chooser = UserChooserViewSet("experiences_user_chooser")
