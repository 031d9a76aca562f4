"""Events: what happens, where, for whom, and when — as wall-clock times in a zone.

Times: ``start``/``end`` are aware datetimes (stored in UTC) together with ``timezone``,
the IANA zone the organiser thinks in; the wall-clock time is ``start`` seen in that zone,
and recurrence is expanded in that zone (never in UTC: a 18:00 weekly meeting stays at
18:00 across daylight-saving changes). All-day events start at local midnight of their
first day and end at local midnight after their last day (exclusive, as DTEND in RFC 5545).
"""

import secrets
import uuid
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from essaim.common import licences
from essaim.moderation.models import Moderated, ModeratedQuerySet

postal_code_validator = RegexValidator(r"^\d{5}$", _("Un code postal a 5 chiffres."))


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Fuseau horaire inconnu : %(value)s."), params={"value": value})


def default_timezone() -> str:
    return settings.TIME_ZONE


def new_uid() -> str:
    """A UID that never changes, whatever the host or the export (RFC 5545 §3.8.4.7)."""
    return f"{uuid.uuid4()}@essaim"


def new_edit_secret() -> str:
    return secrets.token_urlsafe(24)


class AttendanceMode(models.TextChoices):
    OFFLINE = "offline", _("Sur place")
    ONLINE = "online", _("En ligne")
    MIXED = "mixed", _("Sur place et en ligne")


class EventStatus(models.TextChoices):
    """What the organiser says about the event (schema.org EventStatusType, OpenAgenda)."""

    SCHEDULED = "scheduled", _("Programmé")
    RESCHEDULED = "rescheduled", _("Reprogrammé")
    POSTPONED = "postponed", _("Reporté (date à venir)")
    CANCELLED = "cancelled", _("Annulé")
    FULL = "full", _("Complet")
    MOVED_ONLINE = "moved-online", _("Passé en ligne")


class RegistrationMode(models.TextChoices):
    NONE = "none", _("Sans inscription")
    LINK = "link", _("Inscription sur un autre site")
    BUILTIN = "builtin", _("Inscription ici")


class CalendarSource(models.Model):
    """An external calendar (iCal URL or imported file); (source, uid) identifies an event."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    url = models.URLField(_("adresse du calendrier"), max_length=500, blank=True)
    publish_directly = models.BooleanField(
        _("source de confiance : publier directement"),
        default=False,
        help_text=_("Sinon, chaque événement importé attend la modération."),
    )
    refresh_every_hours = models.PositiveSmallIntegerField(
        _("actualiser toutes les N heures"), null=True, blank=True,
        help_text=_("Vide : jamais actualisé automatiquement."),
    )  # fmt: skip
    licence = models.CharField(
        _("licence"),
        max_length=licences.MAX_LENGTH,
        choices=licences.Licence.choices,
        default=licences.TEXT_DEFAULT,
    )
    # Conditional GET state and health, shown to staff.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(_("dernière lecture"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("dernier succès"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    # Failed refreshes in a row: each one doubles the wait before the next (back-off).
    failures = models.PositiveSmallIntegerField(_("échecs consécutifs"), default=0, editable=False)

    class Meta:
        verbose_name = _("calendrier source")
        verbose_name_plural = _("calendriers sources")

    def __str__(self):
        return self.name


class EventQuerySet(ModeratedQuerySet):
    def recurring(self):
        return self.exclude(rrule="")


class Event(index.Indexed, Moderated):
    moderated_fields = [
        "title", "summary", "description", "themes", "organiser_name", "attendance_mode",
        "place_name", "address", "postal_code", "commune", "latitude", "longitude",
        "online_url", "timezone", "all_day", "start", "end", "rrule", "exdates",
        "accessibility_motor", "accessibility_hearing", "accessibility_visual",
        "accessibility_mental", "accessibility_notes", "audience", "age_min", "age_max",
        "is_free", "price", "registration_mode", "registration_url", "capacity",
        "event_status", "image_alt", "image_credit", "licence",
    ]  # fmt: skip

    # --- what -----------------------------------------------------------------------
    title = models.CharField(_("titre"), max_length=140)
    slug = models.SlugField(_("identifiant d'URL"), max_length=160, unique=True)
    summary = models.CharField(
        _("présentation courte"), max_length=280, help_text=_("280 caractères au plus.")
    )
    description = models.TextField(
        _("description"), blank=True,
        help_text=_("Mise en forme simple ; le HTML dangereux est retiré."),
    )  # fmt: skip
    image = models.ImageField(_("image"), upload_to="agenda/%Y/%m/", blank=True)
    image_alt = models.CharField(
        _("texte alternatif de l'image"), max_length=250, blank=True,
        help_text=_("Ce que montre l'image, pour qui ne la voit pas."),
    )  # fmt: skip
    image_credit = models.CharField(_("crédit de l'image"), max_length=200, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", related_name="events", verbose_name=_("thèmes"), blank=True
    )
    # Free text until the directory exists; it will become a link to an organisation.
    organiser_name = models.CharField(_("organisateur"), max_length=200, blank=True)

    # --- where ------------------------------------------------------------------------
    attendance_mode = models.CharField(
        _("participation"), max_length=10, choices=AttendanceMode.choices,
        default=AttendanceMode.OFFLINE,
    )  # fmt: skip
    place_name = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(
        _("code postal"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    commune = models.ForeignKey(
        "territories.Commune", models.PROTECT, null=True, blank=True,
        related_name="events", verbose_name=_("commune"),
    )  # fmt: skip
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    online_url = models.URLField(_("lien de participation en ligne"), max_length=500, blank=True)

    # --- when ---------------------------------------------------------------------------
    timezone = models.CharField(
        _("fuseau horaire"), max_length=64, default=default_timezone,
        validators=[validate_timezone],
    )  # fmt: skip
    all_day = models.BooleanField(_("toute la journée"), default=False)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    rrule = models.CharField(
        _("règle de répétition"), max_length=500, blank=True,
        help_text=_("RRULE de la RFC 5545, ex. : FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T000000Z"),
    )  # fmt: skip
    exdates = models.JSONField(
        _("dates exclues"), default=list, blank=True,
        help_text=_("Débuts d'occurrences supprimées, en heure locale (AAAA-MM-JJTHH:MM)."),
    )  # fmt: skip
    # Bumped on every change that calendar clients must notice (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Occurrences are materialised up to this instant (rolling horizon, see recurrence.py).
    expanded_until = models.DateTimeField(null=True, blank=True, editable=False)

    # --- for whom, how ------------------------------------------------------------------
    accessibility_motor = models.BooleanField(_("accessible en fauteuil roulant"), default=False)
    accessibility_hearing = models.BooleanField(_("adapté au handicap auditif"), default=False)
    accessibility_visual = models.BooleanField(_("adapté au handicap visuel"), default=False)
    accessibility_mental = models.BooleanField(
        _("adapté au handicap mental ou psychique"), default=False
    )
    accessibility_notes = models.CharField(
        _("informations d'accessibilité"), max_length=500, blank=True
    )
    audience = models.CharField(_("public"), max_length=200, blank=True)
    age_min = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("âge maximum"), null=True, blank=True)
    is_free = models.BooleanField(_("gratuit"), default=True)
    price = models.CharField(
        _("tarifs et conditions"), max_length=300, blank=True,
        help_text=_("Ex. : 5 €, gratuit pour les adhérent·es."),
    )  # fmt: skip
    registration_mode = models.CharField(
        _("inscription"), max_length=10, choices=RegistrationMode.choices,
        default=RegistrationMode.NONE,
    )  # fmt: skip
    registration_url = models.URLField(_("lien d'inscription"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True,
        help_text=_("Pour l'inscription ici ; vide : sans limite."),
    )  # fmt: skip
    event_status = models.CharField(
        _("état"), max_length=16, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    licence = models.CharField(
        _("licence"),
        max_length=licences.MAX_LENGTH,
        choices=licences.Licence.choices,
        default=licences.TEXT_DEFAULT,
    )

    # --- who and whence ---------------------------------------------------------------------
    uid = models.CharField(_("UID iCalendar"), max_length=255, default=new_uid, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
        related_name="owned_events", verbose_name=_("responsable"),
    )  # fmt: skip
    # Secret behind the organiser's e-mailed edit link; rotating it revokes old links.
    edit_secret = models.CharField(max_length=64, default=new_edit_secret, editable=False)
    source = models.ForeignKey(
        CalendarSource, models.SET_NULL, null=True, blank=True,
        related_name="events", verbose_name=_("source"),
    )  # fmt: skip
    source_url = models.URLField(_("page à la source"), max_length=500, blank=True)
    imported_at = models.DateTimeField(_("importé le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = EventQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.SearchField("organiser_name"),
        index.SearchField("place_name"),
        index.AutocompleteField("title"),
        index.RelatedFields("commune", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("status"),
        index.FilterField("is_hidden"),
    ]
    search_type_label = _("Événements")

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["start"]
        constraints = [
            # Imported events are keyed on their source's UID; ours have unique UIDs.
            models.UniqueConstraint(
                fields=["source", "uid"], condition=models.Q(source__isnull=False),
                name="event_unique_source_uid",
            ),
            models.UniqueConstraint(
                fields=["uid"], condition=models.Q(source__isnull=True),
                name="event_unique_own_uid",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="event_ends_after_start"
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["status", "is_hidden"], name="event_visibility")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agenda:detail", kwargs={"slug": self.slug})

    def search_summary(self) -> str:
        return self.summary

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def is_online(self) -> bool:
        return self.attendance_mode != AttendanceMode.OFFLINE

    @property
    def has_place(self) -> bool:
        return self.attendance_mode != AttendanceMode.ONLINE

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("La fin doit venir après le début.")})
        if self.attendance_mode != AttendanceMode.OFFLINE and not self.online_url:
            raise ValidationError(
                {"online_url": _("Un événement en ligne a besoin d'un lien de participation.")}
            )
        if self.registration_mode == RegistrationMode.LINK and not self.registration_url:
            raise ValidationError({"registration_url": _("Indiquez le lien d'inscription.")})
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            raise ValidationError({"age_max": _("L'âge maximum est inférieur au minimum.")})


class EventChange(models.Model):
    """One occurrence of a series that differs from the rule (RFC 5545 RECURRENCE-ID).

    ``recurrence_id`` is the start the rule gives that occurrence; the change moves it, renames
    it or marks it cancelled. Removing an occurrence altogether is an EXDATE instead.
    """

    event = models.ForeignKey(Event, models.CASCADE, related_name="changes")
    recurrence_id = models.DateTimeField(_("début prévu par la règle"))
    start = models.DateTimeField(_("nouveau début"))
    end = models.DateTimeField(_("nouvelle fin"))
    title = models.CharField(_("titre de cette date"), max_length=140, blank=True)
    event_status = models.CharField(
        _("état de cette date"), max_length=16, choices=EventStatus.choices, blank=True
    )
    note = models.CharField(_("précision"), max_length=280, blank=True)

    class Meta:
        verbose_name = _("date modifiée")
        verbose_name_plural = _("dates modifiées")
        ordering = ["recurrence_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recurrence_id"], name="event_change_unique_recurrence"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="event_change_ends_after"
            ),
        ]

    def __str__(self):
        return f"{self.event} ({self.recurrence_id:%Y-%m-%d %H:%M})"
