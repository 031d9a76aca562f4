"""What the directory holds about a person, for the account's data download."""

from essaim.directory.models import Claim, ContactLog, Membership, OfferNeed, PersonProfile


def collect(user) -> dict:
    profile = PersonProfile.objects.filter(user=user).first()
    return {
        "profil": _profile(profile) if profile else None,
        "organisations": [
            {"organisation": m.organisation.name, "rôle": m.role}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "revendications": [
            {"organisation": c.organisation.name, "état": c.state, "le": c.created_at}
            for c in Claim.objects.filter(user=user).select_related("organisation")
        ],
        "messages_relayés": [
            {"vers": f"{log.target_type} {log.target_id}", "le": log.created_at}
            for log in ContactLog.objects.filter(sender=user)
        ],
        "offres_besoins": [
            {"titre": o.title, "type": o.direction, "adresse_web": o.get_absolute_url()}
            for o in OfferNeed.objects.filter(author=user).order_by("pk")
        ],
    }


def _profile(profile: PersonProfile) -> dict:
    data = {field: profile.value_of(field) for field in PersonProfile.VISIBLE_FIELDS}
    return data | {
        "nom": profile.name,
        "visibilité": profile.visibility,
        "dans_l_annuaire": profile.listed,
        "consentement_le": profile.consented_at,
    }


def remove_contributions(user) -> int:
    """Account deletion, "remove my contributions": their profile and the offers and needs
    posted in their name, with their moderation history (the profile and its offers go
    with the account in any case). Organisations, and what was posted for one, belong to
    the organisation: they stay, without the person's name."""
    from essaim.moderation import services as moderation

    removed = moderation.delete_items(OfferNeed.objects.filter(person__user=user))
    return removed + PersonProfile.objects.filter(user=user).delete()[1].get(
        PersonProfile._meta.label, 0
    )
