"""Collaborative validation: members vote to validate or invalidate a pending initiative."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VoteQuerySet(models.QuerySet):
    def tally(self) -> tuple[int, int]:
        """(votes to validate, votes to invalidate)."""
        counts = self.aggregate(
            approvals=models.Count("pk", filter=models.Q(approve=True)),
            oppositions=models.Count("pk", filter=models.Q(approve=False)),
        )
        return counts["approvals"], counts["oppositions"]


class Vote(models.Model):
    """One member's opinion on a pending initiative; one per person, changeable."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", models.CASCADE, related_name="votes",
        verbose_name=_("initiative"),
    )  # fmt: skip
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="initiative_votes",
        verbose_name=_("votant·e"),
    )  # fmt: skip
    approve = models.BooleanField(_("valide"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("vote de validation")
        verbose_name_plural = _("votes de validation")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "voter"], name="initiative_one_vote")
        ]

    def __str__(self):
        return f"{self.voter} — {'pour' if self.approve else 'contre'}"


class ConfirmationReminder(models.Model):
    """A yearly "still up to date?" e-mail sent to an initiative's owner."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", models.CASCADE, related_name="confirmation_reminders",
        verbose_name=_("initiative"),
    )  # fmt: skip
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("rappel de mise à jour")
        verbose_name_plural = _("rappels de mise à jour")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.initiative_id} — {self.sent_at:%Y-%m-%d}"
