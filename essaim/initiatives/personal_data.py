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
