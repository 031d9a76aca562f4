"""Public forms of the agenda: propose an event, and its owner's edit.

People give a day, times and a repetition in plain words; the form turns them into the
event's aware ``start``/``end`` in its zone, an RRULE (``rules.to_rrule``) and local
EXDATE strings, and previews the next dates with ``recurrence.expand``.
"""

import copy
import re
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from essaim.agenda import recurrence
from essaim.agenda.models import AttendanceMode, Event, RegistrationMode
from essaim.agenda.rules import PlainRule, Repeat, from_rrule, to_rrule
from essaim.common.html import clean_html
from essaim.moderation.antispam import AntiSpamFormMixin

# Shared with the initiatives' form: same commune resolution, same theme checkboxes.
from essaim.taxonomy.forms import theme_groups
from essaim.taxonomy.models import Theme
from essaim.territories.forms import resolve_commune

PREVIEW_COUNT = 6
MAX_EXDATES = 100
MAX_COUNT = 500
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Dates people type in the excluded-dates box: ISO or French day/month/year.
_DATE_PATTERNS = [(re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (1, 2, 3)),
                  (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (3, 2, 1))]  # fmt: skip


def parse_day(text: str) -> date:
    for pattern, (y, m, d) in _DATE_PATTERNS:
        if found := pattern.match(text):
            try:
                return date(int(found[y]), int(found[m]), int(found[d]))
            except ValueError:
                break
    raise ValidationError(
        _("« %(text)s » n'est pas une date (attendu : JJ/MM/AAAA)."), params={"text": text}
    )


class EventForm(forms.ModelForm):
    """The fields people fill in, for a proposal as for an edit."""

    commune_label = forms.CharField(
        label=_("Commune"), max_length=100, required=False,
        help_text=_("Tapez le début du nom ou le code postal, puis choisissez dans la liste."),
        widget=forms.TextInput(attrs={
            "list": "commune-suggestions", "autocomplete": "off",
            "data-autocomplete-url": reverse_lazy("territories:autocomplete"),
        }),
    )  # fmt: skip
    day = forms.DateField(label=_("Date"), widget=DATE_INPUT,
                          help_text=_("Le premier jour, au format JJ/MM/AAAA."))  # fmt: skip
    start_time = forms.TimeField(label=_("Heure de début"), required=False, widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Heure de fin"), required=False, widget=TIME_INPUT)
    last_day = forms.DateField(
        label=_("Dernier jour"), required=False, widget=DATE_INPUT,
        help_text=_("Pour un événement sur plusieurs jours ; sinon, laissez vide."),
    )  # fmt: skip
    repeat = forms.ChoiceField(label=_("Répétition"), choices=Repeat.choices, required=False)
    repeat_until = forms.DateField(
        label=_("Jusqu'au"), required=False, widget=DATE_INPUT,
        help_text=_("Dernière date possible de la série (incluse)."),
    )  # fmt: skip
    repeat_count = forms.IntegerField(
        label=_("Ou nombre de fois"), required=False, min_value=2, max_value=MAX_COUNT,
        help_text=_("Laissez vide si vous donnez une date de fin."),
    )  # fmt: skip
    online_url = forms.URLField(
        label=_("Lien de participation en ligne"), max_length=500, required=False,
        assume_scheme="https", help_text=_("Pour un événement en ligne ou mixte."),
    )  # fmt: skip
    registration_url = forms.URLField(
        label=_("Lien d'inscription"), max_length=500, required=False, assume_scheme="https"
    )
    excluded_dates = forms.CharField(
        label=_("Dates sans événement"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Une date par ligne (JJ/MM/AAAA), ex. : vacances, jours fériés."),
    )  # fmt: skip

    class Meta:
        model = Event
        fields = [
            "title", "summary", "description", "themes", "organiser_name", "attendance_mode",
            "place_name", "address", "postal_code", "online_url", "all_day",
            "accessibility_motor", "accessibility_hearing", "accessibility_visual",
            "accessibility_mental", "accessibility_notes", "audience", "age_min", "age_max",
            "is_free", "price", "registration_mode", "registration_url", "capacity",
            "image", "image_alt", "image_credit", "licence",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2, "maxlength": 280}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "attendance_mode": forms.RadioSelect,
            "registration_mode": forms.RadioSelect,
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 5}
            ),  # fmt: skip
            "image": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }
        help_texts = {
            "place_name": _("Ex. : salle des fêtes, tiers-lieu La Fabrique."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.tree_order().select_related("parent")
        self.fields["themes"].required = True
        self.fields["themes"].label_from_instance = lambda theme: theme.name
        self.fields["description"].help_text = _("Texte simple ; les liens sont conservés.")
        self.zone = self.instance.zone if self.instance.pk else timezone.get_default_timezone()
        if self.instance.pk and not self.is_bound:
            self.initial.update(self._initial_from_instance())
        self.preview: list = []

    @property
    def theme_groups(self):
        return theme_groups(self["themes"])

    def _initial_from_instance(self) -> dict:
        event = self.instance
        start, end = event.start.astimezone(self.zone), event.end.astimezone(self.zone)
        last = (end - timedelta(days=1)).date() if event.all_day else end.date()
        initial = {"day": start.date(), "last_day": last if last > start.date() else None}
        if not event.all_day:
            initial |= {"start_time": start.time(), "end_time": end.time()}
        rule = from_rrule(event.rrule, start.date(), zone=self.zone) or PlainRule()
        initial |= {"repeat": rule.repeat, "repeat_until": rule.until,
                    "repeat_count": rule.count}  # fmt: skip
        initial["excluded_dates"] = "\n".join(
            date.fromisoformat(text[:10]).strftime("%d/%m/%Y") for text in event.exdates
        )
        if event.commune_id:
            initial["commune_label"] = event.commune.short_label
        return initial

    # --- cleaning -------------------------------------------------------------------------

    def clean_description(self):
        return clean_html(self.cleaned_data["description"])

    def clean_excluded_dates(self):
        lines = [line.strip() for line in self.cleaned_data["excluded_dates"].splitlines()]
        days = sorted({parse_day(line) for line in lines if line})
        if len(days) > MAX_EXDATES:
            raise ValidationError(_("%(max)d dates au plus."), params={"max": MAX_EXDATES})
        return days

    def clean(self):
        cleaned = super().clean()
        self._clean_place(cleaned)
        self._clean_times(cleaned)
        self._clean_image(cleaned)
        if cleaned.get("registration_mode") != RegistrationMode.BUILTIN:
            cleaned["capacity"] = None
        return cleaned

    def _clean_place(self, cleaned) -> None:
        mode = cleaned.get("attendance_mode")
        if mode == AttendanceMode.ONLINE:
            self.instance.commune = None
            self.instance.latitude = self.instance.longitude = None
            return
        if not cleaned.get("commune_label", "").strip():
            self.add_error("commune_label", _("Indiquez la commune du lieu."))
            return
        try:
            commune = resolve_commune(postal_code=cleaned.get("postal_code", ""),
                                      text=cleaned["commune_label"])  # fmt: skip
        except ValidationError as error:
            self.add_error("commune_label", error)
            return
        if commune.pk != self.instance.commune_id or self.instance.latitude is None:
            self.instance.latitude, self.instance.longitude = commune.latitude, commune.longitude
        self.instance.commune = commune

    def _clean_times(self, cleaned) -> None:
        day = cleaned.get("day")
        if day is None:
            return
        last = cleaned.get("last_day") or day
        if last < day:
            self.add_error("last_day", _("Le dernier jour précède le premier."))
            return
        if cleaned.get("all_day"):
            start = self._at(day, time())
            end = self._at(last + timedelta(days=1), time())
        else:
            start, end = self._timed(cleaned, day, last)
            if start is None:
                return
        rule = self._rule(cleaned)
        if rule is None:
            return
        event = self.instance
        event.timezone = str(self.zone)
        event.start, event.end = start, end
        event.all_day = bool(cleaned.get("all_day"))
        event.rrule = to_rrule(rule, day, zone=self.zone, all_day=event.all_day)
        event.exdates = self._exdates(cleaned, start) if event.rrule else []

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone)

    def _timed(self, cleaned, day: date, last: date):
        begins, ends = cleaned.get("start_time"), cleaned.get("end_time")
        if begins is None:
            self.add_error(
                "start_time", _("Indiquez l'heure de début, ou cochez « toute la journée ».")
            )
        if ends is None:
            self.add_error("end_time", _("Indiquez l'heure de fin."))
        if begins is None or ends is None:
            return None, None
        start, end = self._at(day, begins), self._at(last, ends)
        if end <= start:
            self.add_error("end_time", _("La fin doit venir après le début."))
            return None, None
        return start, end

    def _rule(self, cleaned) -> PlainRule | None:
        repeat = cleaned.get("repeat") or Repeat.NONE
        until, count = cleaned.get("repeat_until"), cleaned.get("repeat_count")
        if not repeat:
            if cleaned.get("excluded_dates"):
                self.add_error(
                    "excluded_dates", _("Des dates à exclure, pour une série seulement.")
                )
            return PlainRule()
        if until and count:
            self.add_error(
                "repeat_count", _("Donnez une date de fin ou un nombre de fois, pas les deux.")
            )
            return None
        if until and until < cleaned["day"]:
            self.add_error("repeat_until", _("La fin de la série précède sa première date."))
            return None
        return PlainRule(repeat=repeat, until=until, count=count)

    def _exdates(self, cleaned, start: datetime) -> list[str]:
        if cleaned.get("all_day"):
            return [day.isoformat() for day in cleaned.get("excluded_dates", [])]
        hour = start.strftime("%H:%M")
        return [f"{day.isoformat()}T{hour}" for day in cleaned.get("excluded_dates", [])]

    def _clean_image(self, cleaned) -> None:
        image = cleaned.get("image")
        has_image = bool(image) if image is not False else False
        if has_image and not cleaned.get("image_alt", "").strip():
            self.add_error(
                "image_alt", _("Décrivez l'image pour les personnes qui ne la voient pas.")
            )

    # --- results ------------------------------------------------------------------------

    def preview_dates(self, count: int = PREVIEW_COUNT) -> list:
        """The next ``count`` dates of the cleaned event, computed as the site will."""
        event = self.instance
        now = timezone.now()
        last = now + timedelta(days=settings.ESSAIM_AGENDA_HORIZON_DAYS)
        dates = recurrence.expand(event, min(now, event.start), last, changes=[])
        return [(d.start.astimezone(self.zone), d.end.astimezone(self.zone))
                for d in dates[:count]]  # fmt: skip

    def event_data(self) -> dict:
        """Every field of the new event, for ``services.propose_event``."""
        data = self.changes()
        data["image"] = self.instance.image
        return data

    def changes(self) -> dict:
        """The proposed values of every moderated field (themes: a list of Theme)."""
        values = {name: getattr(self.instance, name) for name in Event.moderated_fields
                  if name != "themes"}  # fmt: skip
        return {**values, "themes": list(self.cleaned_data["themes"])}


class ProposalForm(AntiSpamFormMixin, EventForm):
    antispam_scope = "event-proposal"

    proposer_email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Pour vous envoyer le lien de modification et la décision de "
                    "modération. Elle ne sera pas publiée."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            del self.fields["proposer_email"]


class EditForm(EventForm):
    """The owner's edit (through the secret link or signed in); it may also set the status
    (cancelled, postponed…). The image is not editable here: pending versions carry no
    files."""

    class Meta(EventForm.Meta):
        fields = [name for name in EventForm.Meta.fields if name != "image"] + ["event_status"]

    def __init__(self, *args, instance, **kwargs):
        # The form writes on a copy: a published event must stay as it is until a
        # moderator accepts the pending version.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.initial.setdefault("themes", [t.pk for t in instance.themes.all()])

    def _clean_image(self, cleaned) -> None:
        if self.instance.image and not cleaned.get("image_alt", "").strip():
            self.add_error(
                "image_alt", _("Décrivez l'image pour les personnes qui ne la voient pas.")
            )
