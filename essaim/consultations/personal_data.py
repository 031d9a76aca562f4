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


WITHDRAWN = "Commentaire retiré par son auteur·rice."


def remove_contributions(user) -> int:
    """Account deletion, "remove my contributions": their proposals (those signed with
    co-authors stay, anonymous), their comments (one that others answered keeps its place
    in the thread, its text replaced). Supports go with the account in any case."""
    from django.db.models import Exists, OuterRef

    from essaim.moderation import services as moderation

    proposals = Proposal.objects.filter(submitted_by=user, coauthors__isnull=True)
    removed = moderation.delete_items(Comment.objects.filter(proposal__in=proposals))
    removed += moderation.delete_items(proposals)
    comments = Comment.objects.filter(submitted_by=user)
    answered = comments.filter(Exists(Comment.objects.filter(parent=OuterRef("pk"))))
    answered.update(body=WITHDRAWN, submitted_by=None)
    return removed + moderation.delete_items(comments)  # the answered ones are no longer theirs
