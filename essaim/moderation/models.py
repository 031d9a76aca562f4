"""The moderation lifecycle's data: the abstract ``Moderated`` base and three generic models.

See the package docstring (``essaim/moderation/__init__.py``) for how modules use them.
"""

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from essaim.moderation.exceptions import TransitionNotAllowed


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PENDING = "pending", _("En attente de modération")
    PUBLISHED = "published", _("Publié")
    REJECTED = "rejected", _("Refusé")
    ARCHIVED = "archived", _("Archivé")


# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({Status.DRAFT, Status.REJECTED}), Status.PENDING),
    "publish": (frozenset({Status.DRAFT, Status.PENDING, Status.REJECTED}), Status.PUBLISHED),
    "reject": (frozenset({Status.PENDING, Status.PUBLISHED}), Status.REJECTED),
    "archive": (frozenset({Status.PUBLISHED}), Status.ARCHIVED),
    "restore": (frozenset({Status.ARCHIVED}), Status.PUBLISHED),
}


class ModeratedQuerySet(models.QuerySet):
    def public(self):
        """What an anonymous visitor may see: published and not hidden after reports."""
        return self.filter(status=Status.PUBLISHED, is_hidden=False)

    def pending(self):
        return self.filter(status=Status.PENDING)

    def hidden(self):
        return self.filter(is_hidden=True)

    def needing_review(self):
        """Pending submissions and items hidden after reports: the moderators' work."""
        return self.filter(Q(status=Status.PENDING) | Q(is_hidden=True))


class Moderated(models.Model):
    """Abstract base of every contributed content type.

    Subclasses set ``moderated_fields`` (the fields a pending version may change) and
    define ``get_absolute_url()``; the status only changes through
    ``essaim.moderation.services``, which records the history.
    """

    moderated_fields: ClassVar[list[str]] = []

    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )  # no index of its own: each model's (status, is_hidden) index serves status alone too
    is_hidden = models.BooleanField(
        _("masqué pour examen"),
        default=False,
        help_text=_("Masqué du public après des signalements, en attendant un·e modérateur·rice."),
    )
    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitter_email = models.EmailField(
        _("e-mail de la personne qui propose"),
        blank=True,
        help_text=_("Pour les contributions anonymes ; jamais affiché publiquement."),
    )
    submitted_at = models.DateTimeField(_("proposé le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    last_moderated_at = models.DateTimeField(_("dernière modération"), null=True, blank=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and not self.is_hidden

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remembers whether the row was public when read: the page cache
        (``common.pagecache``) then knows whether a save can change a public page."""
        instance = super().from_db(db, field_names, values)
        loaded = instance.__dict__
        if "status" in loaded and "is_hidden" in loaded:
            instance._was_public = instance.is_public
        else:  # deferred fields: assume it was, so that its save outdates pages
            instance._was_public = True
        return instance

    @property
    def contributor_email(self) -> str:
        """Where decisions are sent: the account's address, else the one given anonymously."""
        if self.submitted_by_id and self.submitted_by.email:
            return self.submitted_by.email
        return self.submitter_email

    def get_report_url(self) -> str:
        """The public report form for this item (/signaler/<app_label>.<model_name>/<pk>/)."""
        return reverse(
            "moderation:report", kwargs={"type_label": self._meta.label_lower, "pk": self.pk}
        )

    def can(self, action: str) -> bool:
        return self.status in TRANSITIONS[action][0]

    def check_transition(self, action: str) -> str:
        """Return the status ``action`` leads to, or raise TransitionNotAllowed."""
        if not self.can(action):
            raise TransitionNotAllowed(
                f"{action} is not allowed from status {self.status!r} ({self._meta.label})."
            )
        return TRANSITIONS[action][1]


class GenericTarget(models.Model):
    """The item a history entry, report or pending version is about (any moderated type)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    # Text so that any primary-key type fits (integers, UUIDs).
    object_id = models.CharField(max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True

    @property
    def target_label(self) -> str:
        """ "app_label.model_name" of the target, from the cached content types."""
        ct = ContentType.objects.get_for_id(self.content_type_id)
        return f"{ct.app_label}.{ct.model}"

    @classmethod
    def for_object(cls, obj):
        ct = ContentType.objects.get_for_model(obj)
        return cls.objects.filter(content_type=ct, object_id=str(obj.pk))


class ModerationEvent(GenericTarget):
    """One line of an item's history: who did what, when, and why."""

    outdates_pages = False  # never on a public page (common.pagecache)

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("proposé")
        PUBLISHED = "published", _("publié")
        REJECTED = "rejected", _("refusé")
        ARCHIVED = "archived", _("archivé")
        RESTORED = "restored", _("rétabli")
        REPORTED = "reported", _("signalé")
        HIDDEN = "hidden", _("masqué après signalements")
        REPORTS_DISMISSED = "reports_dismissed", _("signalements écartés")
        EDIT_PROPOSED = "edit_proposed", _("modification proposée")
        EDIT_ACCEPTED = "edit_accepted", _("modification acceptée")
        EDIT_REJECTED = "edit_rejected", _("modification refusée")
        COMMENT = "comment", _("commentaire")

    EXPORT_COLUMNS: ClassVar[list[str]] = [
        "type", "object_id", "date", "action", "actor", "reason", "data"
    ]  # fmt: skip

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    reason = models.TextField(_("motif"), blank=True)
    data = models.JSONField(_("données"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # SUBMITTED events only: ``antispam.address_hash`` of the submitter's connection, so that
    # moderators can block it; erased after ESSAIM_ADDRESS_HASH_DAYS; never exported.
    address_hash = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="moderation_event_target"),
            models.Index(
                fields=["address_hash"],
                condition=~Q(address_hash=""),
                name="moderation_event_address",
            ),
        ]
        verbose_name = _("événement de modération")
        verbose_name_plural = _("historique de modération")

    def __str__(self):
        return f"{self.get_action_display()} — {self.actor_label}"

    @property
    def actor_label(self) -> str:
        return str(self.actor) if self.actor_id else str(_("anonyme"))

    def as_row(self) -> dict[str, Any]:
        """The exportable form of this entry (CSV/JSON): no e-mail address, no IP hash."""
        return {
            "type": self.target_label,
            "object_id": self.object_id,
            "date": self.created_at.isoformat(),
            "action": self.action,
            "actor": self.actor_label,
            "reason": self.reason,
            "data": json.dumps(self.data, cls=DjangoJSONEncoder, ensure_ascii=False),
        }


class Report(GenericTarget):
    """A visitor's report that an item is wrong, gone, off-charter or spam."""

    outdates_pages = False  # never on a public page (common.pagecache)

    class Reason(models.TextChoices):
        GONE = "gone", _("N'existe plus")
        WRONG = "wrong", _("Information erronée")
        CHARTER = "charter", _("Contraire à la charte")
        DUPLICATE = "duplicate", _("Doublon")
        SPAM = "spam", _("Spam ou publicité")
        SHOCKING = "shocking", _("Contenu choquant")

    class State(models.TextChoices):
        OPEN = "open", _("ouvert")
        UPHELD = "upheld", _("retenu")
        DISMISSED = "dismissed", _("écarté")

    reason = models.CharField(_("motif"), max_length=16, choices=Reason.choices)
    comment = models.TextField(_("précisions"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signalé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # "user:<id>" or "addr:<salted hash>": the one-open-report rule keys on it; never a raw IP.
    reporter_key = models.CharField(max_length=80)
    state = models.CharField(
        _("état"), max_length=16, choices=State.choices, default=State.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="moderation_report_target")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter_key"],
                condition=Q(state="open"),
                name="moderation_one_open_report_per_reporter",
            )
        ]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")

    def __str__(self):
        return f"{self.get_reason_display()} ({self.get_state_display()})"


class BlockedAddressQuerySet(models.QuerySet):
    def active(self, now=None):
        """Blocks in force at ``now``: no expiry, or an expiry still ahead."""
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class BlockedAddress(models.Model):
    """A connection whose anonymous submissions are refused, known only by its salted hash.

    Public forms built on ``antispam.AntiSpamFormMixin`` refuse it while the block is in
    force; expired blocks are deleted by ``services.purge_address_hashes``.
    """

    outdates_pages = False  # never on a public page (common.pagecache)

    address_hash = models.CharField(_("empreinte de l'adresse"), max_length=32, unique=True)
    reason = models.TextField(_("motif"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bloquée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("bloquée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)

    objects = BlockedAddressQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("adresse bloquée")
        verbose_name_plural = _("adresses bloquées")

    def __str__(self):
        return f"#{self.short_hash}"

    @property
    def short_hash(self) -> str:
        """What moderators see: enough to tell addresses apart, nothing more."""
        return self.address_hash[:8]


@dataclass(frozen=True)
class DiffRow:
    label: str
    current: Any
    proposed: Any


class PendingVersion(GenericTarget):
    """Changes proposed to a published item, kept aside until a moderator decides."""

    outdates_pages = False  # never on a public page (common.pagecache)

    class State(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACCEPTED = "accepted", _("acceptée")
        REJECTED = "rejected", _("refusée")

    changes = models.JSONField(_("modifications"), encoder=DjangoJSONEncoder)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_email = models.EmailField(_("e-mail de l'auteur·rice"), blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    state = models.CharField(
        _("état"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="moderation_version_target")
        ]
        verbose_name = _("version en attente")
        verbose_name_plural = _("versions en attente")

    def __str__(self):
        return f"{self.content_type} #{self.object_id} ({self.get_state_display()})"

    def diff(self, obj=None) -> list[DiffRow]:
        """(field label, current value, proposed value) for every proposed change."""
        obj = obj or self.content_object
        rows = []
        for name, proposed in self.changes.items():
            field = obj._meta.get_field(name)
            current = field_value(obj, field)
            rows.append(DiffRow(str(field.verbose_name), display(obj, field, current),
                                display(obj, field, proposed)))  # fmt: skip
        return rows

    def apply_to(self, obj) -> None:
        """Write the proposed values onto ``obj`` and save it (m2m included)."""
        many = {}
        for name, value in self.changes.items():
            field = obj._meta.get_field(name)
            if field.many_to_many:
                many[name] = value
            else:
                setattr(obj, field.attname, field.to_python(value))
        obj.save()
        for name, pks in many.items():
            getattr(obj, name).set(pks)


def get_moderated_field(model, name: str):
    if name not in model.moderated_fields:
        raise FieldDoesNotExist(f"{model._meta.label}.{name} is not in moderated_fields.")
    return model._meta.get_field(name)


def field_value(obj, field) -> Any:
    """The JSON-ready value of ``field`` on ``obj`` (pks for relations)."""
    if field.many_to_many:
        return sorted(o.pk for o in getattr(obj, field.name).all()) if obj.pk else []
    value = getattr(obj, field.attname)
    if isinstance(field, models.FileField):
        return value.name or ""  # the stored file's name; uploads are saved before
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def display(obj, field, value) -> str:
    """A human-readable form of a stored value, for the moderator's diff."""
    if value in (None, "", []):
        return "—"
    if field.is_relation:
        pks = value if isinstance(value, list) else [value]
        objects = field.related_model._default_manager.filter(pk__in=pks)
        return ", ".join(str(o) for o in objects)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)
