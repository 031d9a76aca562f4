"""The public registration form: a date (for a series), name, e-mail, seats, consent."""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from essaim.agenda import registrations
from essaim.agenda.models import Event
from essaim.moderation.antispam import AntiSpamFormMixin


def date_choice_label(occurrence) -> str:
    """'mardi 16 mars 2027 à 18h00 — 3 places' (or '— complet, liste d'attente')."""
    label = registrations.occurrence_label(occurrence)
    left = registrations.seats_left(occurrence, occurrence.taken)
    if left == 0:
        return _("%(date)s — complet, liste d'attente") % {"date": label}
    if left is None:
        return label
    places = ngettext("%(n)d place", "%(n)d places", left) % {"n": left}
    return f"{label} — {places}"


class RegistrationForm(AntiSpamFormMixin, forms.Form):
    """Anti-spam as every anonymous form (honeypot, fill time, rate per address), plus a
    rate per e-mail address: nobody gets flooded with confirmation requests."""

    antispam_scope = "agenda-registration"

    occurrence = forms.TypedChoiceField(label=_("Date"), coerce=int)
    name = forms.CharField(
        label=_("Votre nom"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )  # fmt: skip
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Pour confirmer votre inscription : vous recevrez un lien à ouvrir."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip
    seats = forms.IntegerField(label=_("Nombre de places"), initial=1, min_value=1)
    consent = forms.BooleanField(label=_("J'accepte ces conditions."))

    def __init__(self, *args, event: Event, dates=None, **kwargs):
        # Its own ids: the form sits on the event's page among other forms.
        kwargs.setdefault("auto_id", "inscription_%s")
        super().__init__(*args, **kwargs)
        self.event = event
        self.dates = list(dates if dates is not None else self.open_dates(event))
        field = self.fields["occurrence"]
        field.choices = [(d.pk, date_choice_label(d)) for d in self.dates]
        if not event.is_recurring and self.dates:
            # A one-off event has one date: nothing to choose.
            field.widget, field.initial, field.required = (
                forms.HiddenInput(),
                self.dates[0].pk,
                False,
            )
        most = settings.ESSAIM_REGISTRATION_MAX_SEATS
        if event.capacity is not None:
            most = min(most, event.capacity)
        self.fields["seats"].validators.append(MaxValueValidator(most))
        self.fields["seats"].widget.attrs.update(min=1, max=most)
        self.fields["seats"].help_text = _("%(most)d au plus.") % {"most": most}
        self.fields["consent"].help_text = self.consent_text

    @staticmethod
    def open_dates(event: Event):
        return registrations.open_dates(event)[: registrations.MAX_DATES_OFFERED]

    @property
    def consent_text(self) -> str:
        return _(
            "Votre nom, votre adresse e-mail et le nombre de places sont transmis à "
            "l'organisateur pour cette inscription seulement. Ils sont effacés %(days)d jours "
            "après la date de l'événement."
        ) % {"days": settings.ESSAIM_REGISTRATION_RETENTION_DAYS}

    def clean_occurrence(self):
        # The choices already hold the dates (with their seats): no query again.
        pk = self.cleaned_data["occurrence"]
        if pk in ("", None) and not self.event.is_recurring and self.dates:
            return self.dates[0]
        return next(d for d in self.dates if d.pk == pk)

    def _over_rate_limit(self) -> bool:
        over_address = super()._over_rate_limit()
        email = (self.cleaned_data.get("email") or "").lower()
        if self.request is None or not email:
            return over_address
        digest = salted_hmac("essaim.agenda.registration", email).hexdigest()[:32]
        key = f"antispam:{self.antispam_scope}-email:{digest}"
        cache.add(key, 0, timeout=settings.ESSAIM_ANTISPAM_RATE_WINDOW)
        return cache.incr(key) > settings.ESSAIM_ANTISPAM_RATE_LIMIT or over_address
