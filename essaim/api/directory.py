"""/api/v1/organisations (+ /<id>), /api/v1/people (listed people, public fields only) and
/api/v1/offers-needs: the directory's public rows, paginated like /api/v1/initiatives."""

from datetime import date, datetime

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Path, Query, Router, Schema

from essaim.api.errors import NotFound, ParameterError
from essaim.api.filters import territory_of, theme_of
from essaim.api.paging import paginate
from essaim.directory.exports import LICENCE
from essaim.directory.models import OfferNeed, Organisation, PersonProfile
from essaim.taxonomy.models import Theme
from essaim.territories.territory import commune_filter

organisations_router = Router(tags=["annuaire"])
people_router = Router(tags=["annuaire"])
offers_needs_router = Router(tags=["annuaire"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Filters(Schema):
    theme: str = ""
    territoire: str = ""
    q: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE


class OrganisationOut(Schema):
    id: int
    name: str
    url: str
    kind: str
    legal_form: str
    siret: str
    rna: str
    summary: str
    address: str
    postal_code: str
    commune_code: str | None
    commune: str | None
    latitude: float | None
    longitude: float | None
    themes: list[str]
    website: str
    social_links: list[str]
    email: str | None
    phone: str | None
    licence: str
    updated_at: datetime


class OrganisationPage(Schema):
    licence: str
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[OrganisationOut]


class PersonPage(Schema):
    """Each person is ``name``, ``url`` and only the fields its owner made public, among
    bio, skills, themes, territories, availability, website, email, phone: a field that is
    not public is absent, never null."""

    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[dict[str, str | list[str]]]


class OfferNeedOut(Schema):
    id: int
    direction: str
    kind: str
    title: str
    description: str
    url: str
    themes: list[str]
    commune_code: str | None
    until: date | None
    organisation: str | None
    person: str | None


class OfferNeedPage(Schema):
    licence: str
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[OfferNeedOut]


def _theme_slugs():
    return Prefetch("themes", queryset=Theme.objects.only("pk", "slug", "name").order_by("slug"))


def organisation_out(request: HttpRequest, o: Organisation) -> dict:
    return {
        "id": o.pk,
        "name": o.name,
        "url": request.build_absolute_uri(o.get_absolute_url()),
        "kind": o.kind,
        "legal_form": o.legal_form,
        "siret": o.siret,
        "rna": o.rna,
        "summary": o.summary,
        "address": o.address,
        "postal_code": o.postal_code,
        "commune_code": o.commune_id,
        "commune": o.commune.name if o.commune_id else None,
        "latitude": o.latitude,
        "longitude": o.longitude,
        "themes": [t.slug for t in o.themes.all()],
        "website": o.website,
        "social_links": list(o.social_links or []),
        "email": o.public_email or None,
        "phone": o.public_phone or None,
        "licence": o.licence,
        "updated_at": o.updated_at,
    }


def _filtered(queryset, filters: Filters, text_fields: tuple[str, ...]):
    """The rows matching the filters; an unknown theme or territory raises BadParameter
    (a 400 naming it, as on every list endpoint)."""
    theme, territory = theme_of(filters.theme), territory_of(filters.territoire)
    if theme:
        queryset = queryset.filter(themes__in=theme.family_ids()).distinct()
    if territory:
        queryset = queryset.filter(commune_filter(territory))
    if filters.q:
        condition = Q()
        for field in text_fields:
            condition |= Q(**{f"{field}__icontains": filters.q})
        queryset = queryset.filter(condition)
    return queryset.order_by("pk")


def _page(request, response, queryset, filters: Filters, render) -> dict:
    return paginate(request, response, queryset, page=filters.page,
                    page_size=filters.page_size, max_size=MAX_PAGE_SIZE,
                    out=lambda item: render(request, item), licence=str(LICENCE))  # fmt: skip


def public_organisations():
    return Organisation.objects.public().select_related("commune").prefetch_related(_theme_slugs())


@organisations_router.get(
    "", response={200: OrganisationPage, 400: ParameterError}, url_name="organisation-list"
)
def list_organisations(request: HttpRequest, response: HttpResponse, filters: Query[Filters]):
    """Published organisations, by id; filters theme (slug, sub-themes included),
    territoire (any level's key), q."""
    found = _filtered(public_organisations(), filters, ("name", "summary"))
    return _page(request, response, found, filters, organisation_out)


@organisations_router.get(
    "/{int:organisation_id}",
    response={200: OrganisationOut, 404: NotFound},
    url_name="organisation-detail",
)
def organisation_detail(request: HttpRequest, organisation_id: int = Path(..., ge=0)):
    """One published organisation (404 otherwise)."""
    organisation = public_organisations().filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("Organisation inconnue.")
    return organisation_out(request, organisation)


def person_out(request: HttpRequest, p: PersonProfile) -> dict:
    return {
        **p.visible_values(signed_in=False),
        "url": request.build_absolute_uri(p.get_absolute_url()),
    }


class PeopleFilters(Schema):
    q: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE


@people_router.get("", response={200: PersonPage, 400: ParameterError}, url_name="person-list")
def list_people(request: HttpRequest, response: HttpResponse, filters: Query[PeopleFilters]):
    """People who chose to be listed; only the fields they made public (others are absent).
    ``q`` searches names."""
    found = PersonProfile.objects.public().prefetch_related(
        "themes", "communes__departement", "departements"
    )
    if filters.q:
        found = found.filter(name__icontains=filters.q)
    return _page(request, response, found.order_by("pk"), filters, person_out)


def offer_need_out(request: HttpRequest, item: OfferNeed) -> dict:
    return {
        "id": item.pk,
        "direction": item.direction,
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "themes": [t.slug for t in item.themes.all()],
        "commune_code": item.commune_id,
        "until": item.until,
        "organisation": item.organisation.name if item.organisation_id else None,
        "person": item.person.name if item.person_id else None,
    }


def public_offers_needs():
    visible_owner = Q(organisation__in=Organisation.objects.public().values("pk")) | Q(
        person__in=PersonProfile.objects.public().values("pk")
    )
    return (
        OfferNeed.objects.public()
        .current()
        .filter(visible_owner)
        .select_related("organisation", "person")
        .prefetch_related(_theme_slugs())
    )


@offers_needs_router.get(
    "", response={200: OfferNeedPage, 400: ParameterError}, url_name="offer-need-list"
)
def list_offers_needs(request: HttpRequest, response: HttpResponse, filters: Query[Filters]):
    """Current public offers and needs, by id; filters theme (slug, sub-themes included),
    territoire (any level's key), q."""
    found = _filtered(public_offers_needs(), filters, ("title", "description"))
    return _page(request, response, found, filters, offer_need_out)
