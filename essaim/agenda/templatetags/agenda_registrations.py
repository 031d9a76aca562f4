"""``{% registration_info event registration_form as reg %}``: what the registration block
of an event's page shows, computed once (dates with their seats, the form)."""

from django import template
from django.contrib.auth.models import AnonymousUser

from essaim.agenda import registrations
from essaim.agenda.models import RegistrationMode
from essaim.agenda.registration_forms import RegistrationForm

register = template.Library()


@register.simple_tag(takes_context=True)
def registration_info(context, event, registration_form=None) -> dict | None:
    """None unless the event takes registrations here; ``registration_form`` is the bound
    form of a failed submission, if any (else an empty one is made)."""
    if event.registration_mode != RegistrationMode.BUILTIN:
        return None
    # An event not public yet (a preview) shows the block closed: the form would 404.
    form = registration_form or RegistrationForm(event=event, dates=None if event.is_public else [])
    single = form.dates[0] if form.dates and not event.is_recurring else None
    left = [registrations.seats_left(d, d.taken) for d in form.dates]
    return {
        "form": form,
        "dates": form.dates,
        "single": single,
        "single_label": registrations.occurrence_label(single) if single else "",
        "seats_left": left[0] if single else None,
        "all_full": bool(left) and all(n == 0 for n in left),
        "can_see_list": registrations.can_see_registrations(_user(context), event),
    }


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or AnonymousUser()
