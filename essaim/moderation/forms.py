from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from essaim.moderation.antispam import AntiSpamFormMixin
from essaim.moderation.models import Report


class ReportForm(AntiSpamFormMixin, forms.Form):
    """A visitor's report; works without an account."""

    antispam_scope = "report"

    reason = forms.ChoiceField(
        label=_("Pourquoi signalez-vous ce contenu ?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Précisions (facultatif)"),
        help_text=_("Par exemple : la bonne information, le lien vers le doublon…"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RelayedContactForm(AntiSpamFormMixin, forms.Form):
    """A visitor's message relayed by e-mail to someone whose address is never shown.

    Subclasses set ``antispam_scope`` and may override the ``message`` help text; the
    module's service sends ``message_fields()`` with reply-to the visitor.
    """

    antispam_scope = "contact"
    email_help_text = _("Pour que l'on puisse vous répondre. Elle n'est pas publiée.")
    message_help_text = ""

    name = forms.CharField(
        label=_("Votre nom"), max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )  # fmt: skip
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip
    message = forms.CharField(
        label=_("Votre message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = self.email_help_text
        self.fields["message"].help_text = self.message_help_text

    def message_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "email", "message")}


class DecisionForm(forms.Form):
    """A moderator's reason, required when refusing."""

    reason = forms.CharField(
        label=_("Motif (envoyé à la personne qui a contribué)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason_required = False

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if self.reason_required and not reason:
            raise forms.ValidationError(_("Indiquez le motif du refus."))
        return reason


class RefusalForm(DecisionForm):
    reason_required = True


class BulkRejectForm(RefusalForm):
    """The reason for a bulk refusal; the items come as "app_label.model_name:pk" keys."""


class BlockForm(RefusalForm):
    """Blocking addresses: the refusal reason of their pending items, and how long."""

    DURATIONS = [
        ("7", _("7 jours")),
        ("30", _("30 jours")),
        ("90", _("90 jours")),
        ("365", _("1 an")),
        ("", _("Jusqu'à ce qu'on la débloque")),
    ]
    duration = forms.ChoiceField(
        label=_("Durée du blocage"), choices=DURATIONS, initial="30", required=False
    )

    def expires_at(self):
        """The end of the block chosen, or None for a block until lifted by hand."""
        days = self.cleaned_data.get("duration")
        return timezone.now() + timedelta(days=int(days)) if days else None
