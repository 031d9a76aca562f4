"""/api/v1/territories/<key>: a territory at a glance — who it is, what encloses it, and
what the platform holds there (the same figures as its dashboard, ``activity_counts``)."""

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from essaim.api.errors import NotFound
from essaim.observatory.dashboard import Filters, activity_counts
from essaim.observatory.views import key_figures
from essaim.territories.territory import find_territory, parents

router = Router(tags=["territoires"])


class TerritoryRef(Schema):
    key: str
    level: str
    name: str
    url: str


class Counts(Schema):
    initiatives: int
    upcoming_events: int
    articles: int
    experiences: int
    organisations: int


class TerritoryOut(Schema):
    key: str
    code: str
    level: str
    name: str
    url: str
    population: int | None
    communes: int | None
    epcis: int | None
    postal_codes: list[str]
    parents: list[TerritoryRef]
    counts: Counts


def ref(request: HttpRequest, territory) -> dict:
    return {"key": territory.key, "level": territory.level, "name": territory.short_label,
            "url": request.build_absolute_uri(territory.get_absolute_url())}  # fmt: skip


@router.get("/territories/{key}", response={200: TerritoryOut, 404: NotFound},
            url_name="territory-detail")  # fmt: skip
def territory_detail(request: HttpRequest, key: str):
    """A région (region-24), département (37), EPCI (SIREN) or commune (INSEE code):
    population, communes, EPCI, postal codes, enclosing territories, and the counts of
    published initiatives, coming events, articles, experience sheets and organisations
    inside it."""
    territory = find_territory(key[:20])
    if territory is None:
        raise Http404("Territoire inconnu.")
    figures = key_figures(territory)
    return {
        **ref(request, territory), "code": territory.code,
        "population": figures["population"], "communes": figures.get("communes"),
        "epcis": figures.get("epcis"), "postal_codes": figures["postal_codes"],
        "parents": [ref(request, parent) for parent in parents(territory)],
        "counts": activity_counts(Filters(territory=territory)),
    }  # fmt: skip
