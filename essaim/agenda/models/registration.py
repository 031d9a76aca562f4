"""Registrations to events with built-in registration (trainings, workshops)."""

import secrets

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """A person's seat(s) for one occurrence; no account needed, managed by e-mailed links."""

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("À confirmer par e-mail")
        CONFIRMED = "confirmed", _("Confirmée")
        WAITING = "waiting", _("Sur liste d'attente")
        CANCELLED = "cancelled", _("Annulée")

    occurrence = models.ForeignKey(
        "agenda.Occurrence", models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("e-mail"))
    seats = models.PositiveSmallIntegerField(_("places"), default=1)
    state = models.CharField(
        _("état"), max_length=12, choices=State.choices, default=State.UNCONFIRMED
    )
    token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    # Order of the waiting list: when the person confirmed and found no seat left.
    waiting_since = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    # Set once the person was told the organiser cancelled their date (told only once).
    cancellation_notice_at = models.DateTimeField(
        _("prévenu·e de l'annulation le"), null=True, blank=True, editable=False
    )
    # Name and e-mail erased after the retention delay; the row stays as an anonymous count.
    purged_at = models.DateTimeField(
        _("données personnelles effacées le"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["occurrence", "state"], name="registration_state")]
        constraints = [
            # One live registration per address and date, held by the database: two
            # simultaneous submissions of the same form cannot both take seats.
            models.UniqueConstraint(
                F("occurrence"), Lower("email"),
                condition=Q(state__in=["unconfirmed", "confirmed", "waiting"], purged_at=None),
                name="one_live_registration_per_address",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.name} — {self.occurrence}"
