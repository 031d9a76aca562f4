from django import forms
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
