"""What the agenda holds about a person: registrations made with the account's addresses.

Registrations need no account, so they are found by e-mail address: the account's own and
its other verified addresses (an unverified one could be anybody's).
"""

from essaim.agenda import registrations


def account_emails(user) -> list[str]:
    verified = user.emailaddress_set.filter(verified=True).values_list("email", flat=True)
    return sorted({user.email, *verified} - {""})


def collect(user) -> dict:
    found = registrations.registrations_of(account_emails(user)).select_related("occurrence__event")
    return {
        "inscriptions": [
            {
                "evenement": registration.occurrence.event.title,
                "date": registration.occurrence.local_start,
                "nom": registration.name,
                "e-mail": registration.email,
                "places": registration.seats,
                "etat": registration.state,
                "inscrit_le": registration.created_at,
                "confirmee_le": registration.confirmed_at,
                "annulee_le": registration.cancelled_at,
            }
            for registration in found.order_by("occurrence__start", "pk")
        ]
    }


def forget(sender, instance, **kwargs) -> None:
    """``pre_delete`` of a user: their registrations are cancelled (if coming) and erased."""
    registrations.forget_person(emails=account_emails(instance))


def connect_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import pre_delete

    pre_delete.connect(forget, sender=get_user_model(), dispatch_uid="agenda_forget_person")


def remove_contributions(user) -> int:
    """Account deletion, "remove my contributions": the events they own or proposed (unless
    someone else has since taken them over). People registered for a coming date are told
    it is cancelled (``registrations._registration_deleted``)."""
    from django.db.models import Q

    from essaim.agenda.models import Event
    from essaim.moderation import services as moderation

    theirs = Event.objects.filter(Q(owner=user) | Q(submitted_by=user, owner=None))
    return moderation.delete_items(theirs)
