"""What the initiatives module holds about a person, for the account's data download."""

from django.db.models import Q

from essaim.initiatives.models import Initiative, Subscription, Vote


def collect(user) -> dict:
    contributed = Initiative.objects.filter(Q(submitted_by=user) | Q(owner=user)).order_by("pk")
    return {
        "initiatives": [
            {
                "nom": initiative.name,
                "adresse_web": initiative.get_absolute_url(),
                "statut": initiative.status,
                "proposée_le": initiative.submitted_at,
                "responsable": initiative.owner_id == user.pk,
            }
            for initiative in contributed
        ],
        "votes": [
            {"initiative": vote.initiative.name, "valide": vote.approve, "le": vote.updated_at}
            for vote in Vote.objects.filter(voter=user).select_related("initiative")
        ],
        "alertes": [
            {"type": sub.kind, "e-mail": sub.email, "rayon_km": sub.radius_km}
            for sub in Subscription.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        ],
    }


def remove_contributions(user) -> int:
    """Account deletion, "remove my contributions": the initiatives they own or proposed
    (unless someone else has since taken them over)."""
    from essaim.moderation import services as moderation

    theirs = Initiative.objects.filter(Q(owner=user) | Q(submitted_by=user, owner=None))
    return moderation.delete_items(theirs)
