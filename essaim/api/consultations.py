"""/api/v1/consultations: published consultations with their phases; one consultation's
public proposals with supports counts and official answers."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from essaim.api.errors import NotFound
from essaim.api.paging import paginate
from essaim.consultations.models import Consultation
from essaim.consultations.queries import public_proposals

router = Router(tags=["consultations"])
LICENCE = "CC-BY-SA-4.0"
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Paging(Schema):
    page: int = 1
    page_size: int = PAGE_SIZE


class PhaseOut(Schema):
    phase: str
    label: str
    starts: datetime
    ends: datetime | None


class ConsultationOut(Schema):
    slug: str
    title: str
    summary: str
    organiser: str
    territory: str
    themes: list[str]
    phase: str
    participation: str
    max_supports: int | None
    phases: list[PhaseOut]
    url: str
    proposals: str
    results_csv: str


class ConsultationList(Schema):
    licence: str
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[ConsultationOut]


class AnswerOut(Schema):
    state: str
    label: str
    text: str
    date: datetime | None


class ProposalOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    body: str
    themes: list[str]
    commune_code: str | None
    latitude: float | None
    longitude: float | None
    published_at: datetime | None
    supports: int
    answer: AnswerOut | None
    url: str


class ProposalList(Schema):
    licence: str
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[ProposalOut]


def consultation_out(request: HttpRequest, c: Consultation) -> dict:
    absolute = request.build_absolute_uri
    return {
        "slug": c.slug, "title": c.title, "summary": c.summary, "organiser": c.organiser_name,
        "territory": c.territory_key, "themes": [t.slug for t in c.themes.all()],
        "phase": c.phase, "participation": c.participation, "max_supports": c.max_supports,
        "phases": [{"phase": row["phase"].value, "label": str(row["label"]),
                    "starts": row["starts"], "ends": row["ends"]} for row in c.timeline()],
        "url": absolute(c.get_absolute_url()),
        "proposals": absolute(f"/api/v1/consultations/{c.slug}/proposals"),
        "results_csv": absolute(f"{c.get_absolute_url()}resultats.csv"),
    }  # fmt: skip


def proposal_out(request: HttpRequest, p) -> dict:
    answer = None
    if p.answer_state:
        answer = {"state": p.answer_state, "label": str(p.get_answer_state_display()),
                  "text": p.answer_text, "date": p.answered_at}  # fmt: skip
    return {
        "id": p.pk, "kind": p.kind, "title": p.title, "summary": p.summary, "body": p.body,
        "themes": [t.slug for t in p.themes.all()], "commune_code": p.commune_id,
        "latitude": p.latitude, "longitude": p.longitude,
        "published_at": p.published_at, "supports": p.supports_count, "answer": answer,
        "url": request.build_absolute_uri(p.get_absolute_url()),
    }  # fmt: skip


@router.get("", response=ConsultationList, url_name="consultation-list")
def list_consultations(request: HttpRequest, response: HttpResponse, params: Query[Paging]):
    """Every published consultation, the most recent first, with its phases."""
    found = Consultation.objects.public().prefetch_related("themes")
    return paginate(request, response, found.order_by("-information_starts_at", "pk"),
                    page=params.page, page_size=params.page_size, max_size=MAX_PAGE_SIZE,
                    out=lambda c: consultation_out(request, c), licence=LICENCE)  # fmt: skip


@router.get("/{slug}", response={200: ConsultationOut, 404: NotFound},
            url_name="consultation-detail")  # fmt: skip
def consultation_detail(request: HttpRequest, slug: str):
    """One published consultation."""
    consultation = get_object_or_404(Consultation.objects.public(), slug=slug)
    return consultation_out(request, consultation)


@router.get("/{slug}/proposals", response={200: ProposalList, 404: NotFound},
            url_name="consultation-proposals")  # fmt: skip
def consultation_proposals(
    request: HttpRequest, response: HttpResponse, slug: str, params: Query[Paging]
):
    """The consultation's public proposals, with their supports and official answers."""
    consultation = get_object_or_404(Consultation.objects.public(), slug=slug)
    return paginate(request, response, public_proposals(consultation).order_by("pk"),
                    page=params.page, page_size=params.page_size, max_size=MAX_PAGE_SIZE,
                    out=lambda p: proposal_out(request, p), licence=LICENCE)  # fmt: skip
