"""Anti-spam for the public's anonymous forms, with no third-party captcha.

``AntiSpamFormMixin`` adds four checks to any Django form:

- the address is not blocked by a moderator (``models.BlockedAddress``, matched on the
  salted hash of the address; set from the moderators' queue);
- a honeypot field that people never see (``.honeypot`` CSS class) and robots fill;
- a minimum fill time, from a signed timestamp issued when the form was displayed
  (``ESSAIM_ANTISPAM_MIN_SECONDS``, default 3; forms older than a day have expired);
- a per-address rate limit through the cache, on the salted hash of the address
  (``ESSAIM_ANTISPAM_RATE_LIMIT`` submissions per ``ESSAIM_ANTISPAM_RATE_WINDOW`` seconds,
  default 5 per hour), counted per form (``antispam_scope``, default the class name).

Usage::

    class ProposalForm(AntiSpamFormMixin, forms.ModelForm): ...
    form = ProposalForm(request.POST or None, request=request)

Render the form as usual (``{{ form }}`` or ``{{ field.as_field_group }}`` plus
``form.hidden_fields``): the honeypot renders itself inside a ``.honeypot`` container.
``form.content_fields`` lists the visible fields except the honeypot, for hand-made loops
(then include ``moderation/includes/antispam_fields.html``).
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from essaim.moderation.models import BlockedAddress

HONEYPOT_FIELD = "site_web_2"  # a name robots like to fill
TIMESTAMP_FIELD = "antispam_ts"
_SIGNING_SALT = "essaim.moderation.antispam"
MAX_FORM_AGE = 24 * 3600


def address_hash(request) -> str:
    """A salted hash of the client's address: enough to count, never the address itself."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return salted_hmac("essaim.moderation.address", address).hexdigest()[:32]


def issue_timestamp(at: float | None = None) -> str:
    """The signed value of the timestamp field, for a form displayed at ``at`` (now)."""
    return signing.dumps(int(at if at is not None else time.time()), salt=_SIGNING_SALT)


class AntiSpamFormMixin:
    """Put it first in the bases: ``class F(AntiSpamFormMixin, forms.Form)``."""

    antispam_scope = ""  # rate-limit bucket; defaults to the form's class name

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Ne pas remplir"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
            template_name="moderation/includes/honeypot_field.html",
        )
        self.fields[TIMESTAMP_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=issue_timestamp
        )

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    @property
    def antispam_timestamp(self):
        return self[TIMESTAMP_FIELD]

    @property
    def content_fields(self):
        return [f for f in self.visible_fields() if f.name != HONEYPOT_FIELD]

    def clean(self):
        cleaned = super().clean()
        error = self._spam_error(cleaned)
        if error:
            raise forms.ValidationError(error, code="spam")
        return cleaned

    def _spam_error(self, cleaned):
        if self.request is not None and self._address_blocked():
            return _(
                "Les envois depuis votre connexion sont bloqués par la modération après des "
                "abus. S'il s'agit d'une erreur, écrivez à l'équipe du réseau."
            )
        if cleaned.get(HONEYPOT_FIELD):
            return _("Votre envoi a été refusé : le champ « Ne pas remplir » doit rester vide.")
        elapsed = self._elapsed_seconds(cleaned.get(TIMESTAMP_FIELD) or "")
        if elapsed is None:
            return _("Ce formulaire a expiré. Rechargez la page puis envoyez-le à nouveau.")
        if elapsed < settings.ESSAIM_ANTISPAM_MIN_SECONDS:
            return _("Formulaire envoyé trop vite. Relisez-le, puis envoyez-le à nouveau.")
        if not self._errors and self._over_rate_limit():
            return _("Trop d'envois depuis votre connexion. Merci de réessayer dans une heure.")
        return None

    @property
    def address_hash(self) -> str:
        """The submitter's hashed address, for ``services.submit(address_hash=…)``."""
        return address_hash(self.request) if self.request is not None else ""

    def _address_blocked(self) -> bool:
        return BlockedAddress.objects.active().filter(address_hash=self.address_hash).exists()

    @staticmethod
    def _elapsed_seconds(token: str) -> float | None:
        """Seconds since the form was displayed; None if forged or older than a day."""
        try:
            issued = signing.loads(token, salt=_SIGNING_SALT)
        except signing.BadSignature:
            return None
        elapsed = time.time() - issued
        return elapsed if elapsed <= MAX_FORM_AGE else None

    def _over_rate_limit(self) -> bool:
        """Count this submission; True once the address is past its allowance."""
        if self.request is None:
            return False
        scope = self.antispam_scope or type(self).__name__
        key = f"antispam:{scope}:{address_hash(self.request)}"
        cache.add(key, 0, timeout=settings.ESSAIM_ANTISPAM_RATE_WINDOW)
        return cache.incr(key) > settings.ESSAIM_ANTISPAM_RATE_LIMIT
