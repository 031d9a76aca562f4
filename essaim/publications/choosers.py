"""Back-office choosers for the plain models a dossier may list (initiatives, events,
veille picks): Wagtail chooser viewsets, whose block classes the dossier StreamField uses.

The choosers list every row (editors may pick a draft that will be published later);
dossiers render only the public ones (see ``DossierPage.visible_items``).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet


class InitiativeChooserViewSet(ChooserViewSet):
    model = "initiatives.Initiative"
    icon = "site"
    choose_one_text = _("Choisir une initiative")
    choose_another_text = _("Choisir une autre initiative")


class EventChooserViewSet(ChooserViewSet):
    model = "agenda.Event"
    icon = "date"
    choose_one_text = _("Choisir un événement")
    choose_another_text = _("Choisir un autre événement")


class PickChooserViewSet(ChooserViewSet):
    model = "veille.Pick"
    icon = "pick"
    choose_one_text = _("Choisir une sélection de veille")
    choose_another_text = _("Choisir une autre sélection")


initiative_chooser = InitiativeChooserViewSet("publications_initiative_chooser")
event_chooser = EventChooserViewSet("publications_event_chooser")
pick_chooser = PickChooserViewSet("publications_pick_chooser")
