"""Consultations in a chosen phase, and public proposals, for tests."""

from datetime import timedelta

from django.utils import timezone

from essaim.consultations.models import PHASE_STARTS, Consultation, Phase, Proposal
from essaim.moderation.models import Status


def phase_dates(phase: str, now=None) -> dict:
    """Start dates putting ``phase`` in progress now (a week per phase)."""
    now = now or timezone.now()
    names = [name for _phase, name in PHASE_STARTS]
    current = [p for p, _n in PHASE_STARTS].index(phase) if phase != Phase.COMING else -1
    return {name: now + timedelta(days=7 * (i - current)) - timedelta(days=1)
            if i <= current else now + timedelta(days=7 * (i - current))
            for i, name in enumerate(names)}  # fmt: skip


def make_consultation(phase: str = Phase.PROPOSALS, slug: str = "budget", **fields):
    return Consultation.objects.create(
        title=fields.pop("title", f"Consultation {slug}"), slug=slug,
        organiser_name=fields.pop("organiser_name", "Région Centre-Val de Loire"),
        published=fields.pop("published", True), **phase_dates(phase), **fields,
    )  # fmt: skip


def set_phase(consultation: Consultation, phase: str) -> Consultation:
    for name, value in phase_dates(phase).items():
        setattr(consultation, name, value)
    consultation.save()
    return consultation


def make_proposal(consultation, author=None, title="Des cantines bio", **fields):
    fields.setdefault("status", Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now())
    body = fields.pop("body", f"Texte de {title}")
    return Proposal.objects.create(
        consultation=consultation, title=title, submitted_by=author, body=body, **fields
    )
