"""API keys: optional, for partners who need a higher rate limit than anonymous clients.

Only a SHA-256 digest of each key is stored; the key itself is shown once, when it is made.
"""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "ess_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_key(self, key: str):
        """The active key matching ``key``, or None."""
        return self.active().filter(digest=digest(key)).first()


class ApiKey(models.Model):
    name = models.CharField(
        _("nom"), max_length=150, help_text=_("Qui utilise cette clé, et pour quel usage.")
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    prefix = models.CharField(_("début de la clé"), max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    rate_limit = models.PositiveIntegerField(
        _("requêtes par minute"), default=3000,
        help_text=_("Au-delà, l'API répond 429 jusqu'à la minute suivante."),
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True,
                                    help_text=_("Décochez pour révoquer la clé."))  # fmt: skip
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_used_on = models.DateField(_("dernier usage"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def issue(self) -> str:
        """Give this (unsaved) key a new secret; return the secret, which is not stored."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix = key[:10]
        self.digest = digest(key)
        return key
