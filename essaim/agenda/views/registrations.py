"""Registrations: the public form, the e-mailed confirm and cancel links, the organiser's list.

The links only show a button on GET and act on POST: mail scanners follow links, and must
never confirm nor cancel anyone.
"""

import csv
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from essaim.agenda import registrations
from essaim.agenda.models import Event, Occurrence, Registration, RegistrationMode
from essaim.agenda.registration_forms import RegistrationForm
from essaim.agenda.registrations import RegistrationRefused

State = Registration.State


def _open_event(slug: str) -> Event:
    events = Event.objects.public().filter(registration_mode=RegistrationMode.BUILTIN)
    return get_object_or_404(events, slug=slug)


def _registration(slug: str, token: str) -> Registration:
    found = Registration.objects.select_related("occurrence__event")
    return get_object_or_404(found, token=token, occurrence__event__slug=slug, purged_at=None)


@require_http_methods(["GET", "HEAD", "POST"])
def register(request, slug: str):
    event = _open_event(slug)
    form = RegistrationForm(request.POST or None, event=event, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registrations.register(occurrence=data["occurrence"], name=data["name"],
                                   email=data["email"], seats=data["seats"])  # fmt: skip
        except RegistrationRefused as error:
            form.add_error(None, str(error))
        else:
            context = {"event": event, "email": data["email"]}
            return render(request, "agenda/registration/sent.html", context)
    context = {"event": event, "registration_form": form}
    status = 400 if form.errors else 200
    return render(request, "agenda/registration/form.html", context, status=status)


def _token_page(request, slug: str, token: str, action, template: str):
    registration = _registration(slug, token)
    error = None
    if request.method == "POST":
        try:
            registration = action(token=token)
        except RegistrationRefused as refused:
            error = str(refused)
        else:
            template = f"{template}_done"
    context = {"registration": registration, "occurrence": registration.occurrence,
               "event": registration.occurrence.event, "error": error,
               "when": registrations.occurrence_label(registration.occurrence)}  # fmt: skip
    return render(request, f"agenda/registration/{template}.html", context,
                  status=409 if error else 200)  # fmt: skip


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, slug: str, token: str):
    return _token_page(request, slug, token, registrations.confirm, "confirm")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, slug: str, token: str):
    return _token_page(request, slug, token, registrations.cancel, "cancel")


# --- the organiser's list -----------------------------------------------------------------


@dataclass
class DateGroup:
    """One date of the event and who registered for it."""

    occurrence: Occurrence
    label: str
    rows: list[Registration] = field(default_factory=list)

    @property
    def confirmed_seats(self) -> int:
        return sum(r.seats for r in self.rows if r.state == State.CONFIRMED)

    @property
    def waiting_seats(self) -> int:
        return sum(r.seats for r in self.rows if r.state == State.WAITING)

    @property
    def seats_left(self) -> int | None:
        return registrations.seats_left(self.occurrence, self.confirmed_seats)


def _managed_event(request, slug: str) -> Event:
    # Not only public events: the organiser of a hidden or withdrawn event keeps their list.
    event = get_object_or_404(Event, slug=slug)
    if not registrations.can_see_registrations(request.user, event):
        raise PermissionDenied
    return event


@never_cache
@login_required
@require_safe
def registrants(request, slug: str):
    event = _managed_event(request, slug)
    rows = registrations.event_registrations(event)
    groups = [
        DateGroup(occurrence, registrations.occurrence_label(occurrence), list(items))
        for occurrence, items in groupby(rows, key=lambda r: r.occurrence)
    ]
    context = {"event": event, "groups": groups,
               "retention_days": settings.ESSAIM_REGISTRATION_RETENTION_DAYS}  # fmt: skip
    return render(request, "agenda/registration/list.html", context)


CSV_COLUMNS = ["date", "nom", "email", "places", "etat", "inscrit_le", "confirmee_le",
               "en_attente_depuis", "annulee_le"]  # fmt: skip


@never_cache
@login_required
@require_safe
def registrants_csv(request, slug: str):
    """UTF-8 CSV with a header row, one line per registration; times in the event's zone."""
    event = _managed_event(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscriptions-{event.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for registration in registrations.event_registrations(event):
        writer.writerow(_csv_row(registration, event))
    return response


def _csv_row(registration: Registration, event: Event) -> list[str]:
    def moment(value):
        return value.astimezone(event.zone).isoformat() if value else ""

    return [
        moment(registration.occurrence.start), _cell(registration.name),
        _cell(registration.email), str(registration.seats), registration.get_state_display(),
        moment(registration.created_at), moment(registration.confirmed_at),
        moment(registration.waiting_since), moment(registration.cancelled_at),
    ]  # fmt: skip


def _cell(text: str) -> str:
    """Names come from the public: never let a spreadsheet read one as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
