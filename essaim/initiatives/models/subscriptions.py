"""Alerts about new initiatives: moderators (new pending ones by theme or territory) and
citizens (new public ones within N km of a commune, double opt-in by e-mail)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    class Kind(models.TextChoices):
        MODERATION = "moderation", _("nouvelles initiatives à modérer")
        NEARBY = "nearby", _("nouvelles initiatives près de chez moi")

    class Frequency(models.TextChoices):
        HOURLY = "hourly", _("toutes les heures")
        DAILY = "daily", _("chaque jour")
        WEEKLY = "weekly", _("chaque semaine")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True,
        related_name="initiative_subscriptions", verbose_name=_("compte"),
    )  # fmt: skip
    themes = models.ManyToManyField("taxonomy.Theme", blank=True, verbose_name=_("thèmes"))
    # Moderators: a territory URL key ("37", "37261", "region-24"…); empty = everywhere.
    territory_key = models.CharField(_("territoire"), max_length=20, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("commune"),
    )  # fmt: skip
    radius_km = models.PositiveSmallIntegerField(_("distance (km)"), default=10)
    frequency = models.CharField(
        _("fréquence"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # Secret behind the confirmation and unsubscribe links.
    token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("dernier envoi"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.email}"


class SentAlert(models.Model):
    """That ``initiative`` was mailed to ``subscription``: never mail it twice."""

    subscription = models.ForeignKey(Subscription, models.CASCADE, related_name="sent")
    initiative = models.ForeignKey("initiatives.Initiative", models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "initiative"], name="initiative_alert_sent_once"
            )
        ]

    def __str__(self):
        return f"{self.subscription_id} → {self.initiative_id}"
