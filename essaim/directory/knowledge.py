""" "What the platform knows" about an organisation: its public initiatives, events and
experiences, each read through the owning module's ``public()`` (bounded queries)."""

SHOWN = 10


def what_the_platform_knows(organisation) -> dict:
    """{"initiatives": […], "events": […], "experiences": […]} (lists, maybe empty).

    Initiatives are the ones linked on our side; events and experiences name the
    organisation as their organiser or carrying structure (free text in those modules).
    """
    from django.utils import timezone

    from essaim.agenda.models import Event
    from essaim.experiences.models import ExperiencePage

    initiatives = organisation.initiatives.public().select_related("commune").order_by("name")
    events = (
        Event.objects.public()
        .filter(organiser_name__iexact=organisation.name, end__gte=timezone.now())
        .order_by("start")
    )
    sheets = (
        ExperiencePage.objects.live()
        .public()
        .filter(organisation_name__iexact=organisation.name)
        .order_by("title")
    )
    return {
        "initiatives": list(initiatives[:SHOWN]),
        "events": list(events[:SHOWN]),
        "experiences": list(sheets[:SHOWN]),
    }
