"""/api/v1/initiatives: the public initiatives, paginated, filtered; one initiative by id.

Every response carries the data's licence. Pagination is by page number with ``next`` and
``previous`` links and a ``Link: <…>; rel="next"`` header.
"""

from datetime import datetime

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Path, Query, Router, Schema

from essaim.api.errors import NotFound, ParameterError
from essaim.api.paging import paginate
from essaim.initiatives.exports import DEFAULT_LICENCE
from essaim.initiatives.models import Initiative
from essaim.taxonomy.models import Theme
from essaim.territories.territory import commune_filter, find_territory

router = Router(tags=["initiatives"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Filters(Schema):
    theme: str = ""
    territoire: str = ""
    q: str = ""
    bbox: str = ""  # W,S,E,N
    updated_since: datetime | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


class InitiativeOut(Schema):
    id: int
    name: str
    summary: str
    description: str
    url: str
    themes: list[str]
    address: str
    postal_code: str
    commune_code: str | None
    commune: str | None
    latitude: float | None
    longitude: float | None
    website: str
    email: str | None
    phone: str
    opening_hours: str
    legal_form: str
    siret: str
    rna: str
    organisation_name: str
    licence: str
    updated_at: datetime


class InitiativePage(Schema):
    licence: str
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[InitiativeOut]


def out(request: HttpRequest, i: Initiative) -> dict:
    return {
        "id": i.pk, "name": i.name, "summary": i.summary, "description": i.description,
        "url": request.build_absolute_uri(i.get_absolute_url()),
        "themes": [t.slug for t in i.themes.all()], "address": i.address,
        "postal_code": i.postal_code, "commune_code": i.commune_id,
        "commune": i.commune.name if i.commune_id else None, "latitude": i.latitude,
        "longitude": i.longitude, "website": i.website,
        "email": i.email if i.email_public and i.email else None, "phone": i.phone,
        "opening_hours": i.opening_hours, "legal_form": i.legal_form, "siret": i.siret,
        "rna": i.rna, "organisation_name": i.organisation_name, "licence": i.licence,
        "updated_at": i.updated_at,
    }  # fmt: skip


def public_queryset():
    return (
        Initiative.objects.public()
        .select_related("commune")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("pk", "slug").order_by("slug"))
        )
    )


def filtered(filters: Filters):
    found = public_queryset()
    if filters.theme:
        found = found.filter(themes__slug=filters.theme)
    if filters.territoire and (place := find_territory(filters.territoire)):
        found = found.filter(commune_filter(place))
    elif filters.territoire:
        found = found.none()
    if filters.q:
        found = found.filter(Q(name__icontains=filters.q) | Q(summary__icontains=filters.q))
    if filters.bbox:
        found = found.filter(**_bbox(filters.bbox))
    if filters.updated_since:
        found = found.filter(updated_at__gte=filters.updated_since)
    return found.order_by("pk")


def _bbox(text: str) -> dict:
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise Http404("bbox: W,S,E,N") from None
    return {"longitude__range": (west, east), "latitude__range": (south, north)}


@router.get("", response={200: InitiativePage, 400: ParameterError, 404: NotFound},
            url_name="initiative-list")  # fmt: skip
def list_initiatives(request: HttpRequest, response: HttpResponse, filters: Query[Filters]):
    """Published initiatives, by id; filters theme (slug), territoire (INSEE key), q, bbox
    (W,S,E,N), updated_since (ISO 8601)."""
    return paginate(request, response, filtered(filters), page=filters.page,
                    page_size=filters.page_size, max_size=MAX_PAGE_SIZE,
                    out=lambda i: out(request, i), licence=DEFAULT_LICENCE)  # fmt: skip


@router.get("/{int:initiative_id}", response={200: InitiativeOut, 404: NotFound},
            url_name="initiative-detail")  # fmt: skip
def initiative_detail(request: HttpRequest, initiative_id: int = Path(..., ge=0)):
    """One published initiative (404 otherwise)."""
    initiative = public_queryset().filter(pk=initiative_id).first()
    if initiative is None:
        raise Http404("Initiative inconnue.")
    return out(request, initiative)
