"""/api/v1/evaluation/campaigns: network campaigns and their anonymised aggregates.

Aggregates only — median and quartiles per axis and core criterion, overall and by theme
and territory, for groups of at least ESSAIM_EVALUATION_MIN_GROUP projects. No project,
assessment or answer is reachable through the API.
"""

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from essaim.api.errors import NotFound
from essaim.api.paging import paginate
from essaim.common.licences import Licence
from essaim.evaluation import aggregates
from essaim.evaluation.models import Campaign

router = Router(tags=["evaluation"])
PAGE_SIZE = 10
MAX_PAGE_SIZE = 50  # each campaign's aggregates cost a few queries


class Paging(Schema):
    page: int = 1
    page_size: int = PAGE_SIZE


class FigureOut(Schema):
    code: str
    name: str
    projects: int
    first_quartile: float
    median: float
    third_quartile: float


class GroupOut(Schema):
    kind: str
    label: str
    projects: int
    axes: list[FigureOut]
    core_criteria: list[FigureOut]


class CampaignOut(Schema):
    slug: str
    title: str
    opens_on: date
    closes_on: date
    grid: str
    grid_version: int
    url: str
    projects: int | None
    groups: list[GroupOut]


class CampaignList(Schema):
    licence: str
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[CampaignOut]


def _figure(figure: aggregates.Figure) -> dict:
    return {"code": figure.code, "name": figure.name, "projects": figure.count,
            "first_quartile": figure.q1, "median": figure.median,
            "third_quartile": figure.q3}  # fmt: skip


def campaign_out(request: HttpRequest, campaign: Campaign) -> dict:
    found = aggregates.campaign_aggregates(campaign)
    return {
        "slug": campaign.slug, "title": campaign.title, "opens_on": campaign.opens_on,
        "closes_on": campaign.closes_on, "grid": campaign.version.grid.slug,
        "grid_version": campaign.version.number,
        "url": request.build_absolute_uri(campaign.get_absolute_url()),
        "projects": found["projects"],
        "groups": [{"kind": g.kind, "label": g.label, "projects": g.projects,
                    "axes": [_figure(f) for f in g.axes],
                    "core_criteria": [_figure(f) for f in g.core]} for g in found["groups"]],
    }  # fmt: skip


def _campaigns():
    return Campaign.objects.public().select_related("version__grid").order_by("-opens_on", "pk")


@router.get("/campaigns", response=CampaignList, url_name="evaluation-campaigns")
def list_campaigns(request: HttpRequest, response: HttpResponse, paging: Query[Paging]):
    """Campaigns, newest first, each with its aggregates (groups below the threshold are
    left out)."""
    return paginate(request, response, _campaigns(), page=paging.page,
                    page_size=paging.page_size, max_size=MAX_PAGE_SIZE,
                    out=lambda campaign: campaign_out(request, campaign),
                    licence=Licence.ODBL)  # fmt: skip


@router.get("/campaigns/{slug}", response={200: CampaignOut, 404: NotFound},
            url_name="evaluation-campaign")  # fmt: skip
def campaign_detail(request: HttpRequest, slug: str):
    """One campaign with its aggregates."""
    campaign = _campaigns().filter(slug=slug).first()
    if campaign is None:
        raise Http404("Campagne inconnue.")
    return campaign_out(request, campaign)
