"""The back office: grids, their versions (axes inline), criteria (questions inline) and
campaigns, as Wagtail snippets. A version in use refuses edits (see GridVersion)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from essaim.evaluation.models import Campaign, Criterion, Grid, GridVersion, GridVersionUsed


class GridViewSet(SnippetViewSet):
    model = Grid
    icon = "table"
    list_display = ["name", "slug"]


class GridVersionViewSet(SnippetViewSet):
    model = GridVersion
    icon = "history"
    list_display = ["__str__", "created_at"]


class CriterionViewSet(SnippetViewSet):
    model = Criterion
    icon = "list-ul"
    list_display = ["name", "axis", "core"]
    list_filter = ["core"]


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "date"
    list_display = ["title", "opens_on", "closes_on"]


class EvaluationGroup(SnippetViewSetGroup):
    menu_label = _("Évaluation")
    menu_icon = "table"
    items = (GridViewSet, GridVersionViewSet, CriterionViewSet, CampaignViewSet)


register_snippet(EvaluationGroup)


@hooks.register("before_delete_snippet")
def keep_used_criteria(request, instances):
    """A criterion of a version in use stays: its assessments were answered with it."""
    for instance in instances:
        if isinstance(instance, Criterion):
            try:
                instance.axis.version.check_editable()
            except GridVersionUsed as error:
                messages.error(request, error.messages[0])
                return redirect("wagtailsnippets_evaluation_criterion:list")
    return None
