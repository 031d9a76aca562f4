"""Read-side queries shared by pages, exports and the API (all from ``public()``)."""

from django.db.models import Count, Prefetch, Q

from essaim.consultations.models import AnswerState, Consultation, Proposal
from essaim.taxonomy.models import Theme

SORTS = {
    "recentes": ("-published_at", "-pk"),
    "soutiens": ("-supports_count", "-published_at", "-pk"),
    "titre": ("title", "pk"),
}


def public_proposals(consultation: Consultation | None = None):
    """Public proposals with their supports count, themes and commune (a fixed number of
    queries whatever their number)."""
    proposals = Proposal.objects.public()
    if consultation is not None:
        proposals = proposals.filter(consultation=consultation)
    return (
        proposals.select_related("commune", "consultation")
        .annotate(supports_count=Count("supports", distinct=True))
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
    )


def filtered(consultation: Consultation, params) -> tuple:
    """Proposals of ``consultation`` filtered by ?theme=, ?reponse=, ?type=, ?q= and sorted
    by ?tri=; returns (queryset, the active values)."""
    proposals = public_proposals(consultation)
    active = {k: (params.get(k) or "").strip()[:100] for k in ("theme", "reponse", "type", "q",
                                                                 "tri")}  # fmt: skip
    if active["theme"]:
        theme = Theme.objects.filter(slug=active["theme"]).first()
        ids = theme.family_ids() if theme else []
        tagged = Proposal.themes.through.objects.filter(theme_id__in=ids)
        proposals = proposals.filter(pk__in=tagged.values("proposal_id"))
    if active["reponse"] == "sans":
        proposals = proposals.filter(answer_state="")
    elif active["reponse"] in AnswerState.values:
        proposals = proposals.filter(answer_state=active["reponse"])
    if active["type"] in ("proposal", "contribution"):
        proposals = proposals.filter(kind=active["type"])
    if active["q"]:
        proposals = proposals.filter(
            Q(title__icontains=active["q"]) | Q(body__icontains=active["q"])
        )
    order = SORTS.get(active["tri"], SORTS["recentes"])
    return proposals.order_by(*order), active


def export_row(proposal, base_url: str) -> dict:
    return {
        "id": proposal.pk,
        "consultation": proposal.consultation.slug,
        "type": proposal.kind,
        "titre": proposal.title,
        "texte": proposal.summary if proposal.kind == "contribution" else proposal.body,
        "themes": [t.slug for t in proposal.themes.all()],
        "commune": proposal.commune_id or "",
        "latitude": proposal.latitude,
        "longitude": proposal.longitude,
        "publiee_le": proposal.published_at.isoformat() if proposal.published_at else "",
        "soutiens": proposal.supports_count,
        "reponse": proposal.answer_state,
        "reponse_libelle": proposal.get_answer_state_display() if proposal.answer_state else "",
        "reponse_texte": proposal.answer_text,
        "repondu_le": proposal.answered_at.isoformat() if proposal.answered_at else "",
        "url": base_url + proposal.get_absolute_url(),
    }


COMMENT_COLUMNS = ["id", "consultation", "proposition", "reponse_a", "niveau", "date", "texte"]


def public_comments():
    """Public comments (on public proposals of published consultations), oldest first."""
    from essaim.consultations.models import Comment

    return Comment.objects.public().select_related("proposal__consultation").order_by("pk")


def comment_row(comment) -> dict:
    return {"id": comment.pk, "consultation": comment.proposal.consultation.slug,
            "proposition": comment.proposal_id, "reponse_a": comment.parent_id or "",
            "niveau": comment.depth, "date": comment.created_at.isoformat(),
            "texte": comment.body}  # fmt: skip


EXPORT_COLUMNS = ["id", "consultation", "type", "titre", "texte", "themes", "commune",
                  "latitude", "longitude",
                  "publiee_le", "soutiens", "reponse", "reponse_libelle", "reponse_texte",
                  "repondu_le", "url"]  # fmt: skip
