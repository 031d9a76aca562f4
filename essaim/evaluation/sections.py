"""What evaluation adds to theme and département pages: the latest campaign's anonymised
aggregates for that theme or département, when at least ESSAIM_EVALUATION_MIN_GROUP
projects of it answered.

One query on a warm cache: the latest campaign with a stamp of its consolidated
assessments (how many, and the newest consolidation). The aggregates are cached under
that stamp, so a consolidation or a reopening shows at once; other changes (a project
moved to another theme) within ``CACHE_SECONDS``.
"""

from django.core.cache import cache
from django.db.models import Count, Max, Q

from essaim.evaluation import aggregates
from essaim.evaluation.models import Assessment, Campaign

CACHE_SECONDS = 600


def _latest_campaign() -> Campaign | None:
    consolidated = Q(assessments__status=Assessment.Status.CONSOLIDATED)
    return (
        Campaign.objects.public()
        .annotate(answered=Count("assessments", filter=consolidated),
                  newest=Max("assessments__consolidated_at", filter=consolidated))
        .filter(answered__gt=0)
        .select_related("version__grid")
        .order_by("-opens_on", "-pk")
        .first()
    )  # fmt: skip


def _campaign_groups(campaign: Campaign) -> list[aggregates.Group]:
    stamp = campaign.newest.timestamp() if campaign.newest else 0
    key = f"evaluation:sections:{campaign.pk}:{campaign.answered}:{stamp}"
    return cache.get_or_set(
        key, lambda: aggregates.campaign_aggregates(campaign)["groups"], CACHE_SECONDS
    )


def _group(kind: str, label: str) -> dict:
    campaign = _latest_campaign()
    if campaign is None:
        return {}
    group = next((g for g in _campaign_groups(campaign) if g.kind == kind and g.label == label),
                 None)  # fmt: skip
    return {"campaign": campaign, "group": group} if group else {}


def aggregates_of_theme(theme) -> dict:
    return _group("theme", theme.name)


def aggregates_of_territory(territory) -> dict:
    from essaim.territories.models import Departement

    return _group("territoire", territory.name) if isinstance(territory, Departement) else {}
