"""What evaluation adds to theme pages: the latest campaign's anonymised aggregates for
that theme, when at least ESSAIM_EVALUATION_MIN_GROUP projects of it answered (a bounded
number of queries: one campaign's aggregates). Département pages could show the same
(``aggregates_of_territory``) but are not wired: their query budget is spent."""

from essaim.evaluation import aggregates
from essaim.evaluation.models import Assessment, Campaign


def _latest_campaign() -> Campaign | None:
    answered = Assessment.objects.filter(status=Assessment.Status.CONSOLIDATED,
                                         campaign__isnull=False)  # fmt: skip
    return (Campaign.objects.public().filter(pk__in=answered.values("campaign_id"))
            .select_related("version__grid").order_by("-opens_on", "-pk").first())  # fmt: skip


def _group(kind: str, label: str) -> dict:
    campaign = _latest_campaign()
    if campaign is None:
        return {}
    found = aggregates.campaign_aggregates(campaign)["groups"]
    group = next((g for g in found if g.kind == kind and g.label == label), None)
    return {"campaign": campaign, "group": group} if group else {}


def aggregates_of_theme(theme) -> dict:
    return _group("theme", theme.name)


def aggregates_of_territory(territory) -> dict:
    from essaim.territories.models import Departement

    return _group("territoire", territory.name) if isinstance(territory, Departement) else {}
