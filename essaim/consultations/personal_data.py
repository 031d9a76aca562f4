"""What the consultations module holds about a person, for the account's data download."""

from essaim.consultations.models import Comment, Follow, Proposal, Support


def collect(user) -> dict:
    proposals = Proposal.objects.filter(submitted_by=user).select_related("consultation")
    comments = Comment.objects.filter(submitted_by=user).select_related("proposal")
    supports = Support.objects.filter(user=user).select_related("proposal")
    follows = Follow.objects.filter(user=user).select_related("consultation")
    return {
        "propositions": [
            {"consultation": p.consultation.title, "titre": p.title, "statut": p.status,
             "texte": p.body, "le": p.created_at}
            for p in proposals.order_by("pk")
        ],
        "commentaires": [
            {"proposition": c.proposal.title, "texte": c.body, "statut": c.status,
             "le": c.created_at}
            for c in comments.order_by("pk")
        ],
        "soutiens": [{"proposition": s.proposal.title, "le": s.created_at}
                     for s in supports.order_by("pk")],
        "consultations_suivies": [f.consultation.title for f in follows.order_by("pk")],
    }  # fmt: skip
