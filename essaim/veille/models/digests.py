"""The weekly e-mail of picks: subscriptions (double opt-in) and the archive of sent letters."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class DigestSubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False)


class DigestSubscription(models.Model):
    email = models.EmailField(_("e-mail"))
    themes = models.ManyToManyField(
        "taxonomy.Theme", blank=True, related_name="+", verbose_name=_("thèmes"),
        help_text=_("Aucun thème coché : toute la sélection."),
    )  # fmt: skip
    # Secret behind the confirmation and unsubscribe links.
    token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("dernier envoi"), null=True, blank=True)

    objects = DigestSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonnement à la lettre de veille")
        verbose_name_plural = _("abonnements à la lettre de veille")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.email


class DigestQuerySet(models.QuerySet):
    def public(self):
        return self.all()


class Digest(models.Model):
    """One weekly letter as sent: the archive at /veille/lettres/."""

    period_start = models.DateTimeField(_("depuis"))
    period_end = models.DateTimeField(_("jusqu'au"), db_index=True)
    subject = models.CharField(_("objet"), max_length=200)
    html = models.TextField(_("version HTML"))  # rendered by us from sanitised picks
    text = models.TextField(_("version texte"))
    pick_count = models.PositiveIntegerField(_("sélections"), default=0)
    recipient_count = models.PositiveIntegerField(_("destinataires"), default=0)
    sent_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    objects = DigestQuerySet.as_manager()

    class Meta:
        verbose_name = _("lettre de veille")
        verbose_name_plural = _("lettres de veille")
        ordering = ["-period_end", "-pk"]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("veille:digest", kwargs={"pk": self.pk})
