"""Public forms of experience sheets: the co-editors' edit form and the contact relay."""

from django import forms
from django.utils.translation import gettext_lazy as _

from essaim.experiences.models import NO_CONTACT_HELP, ExperiencePage, Outcome
from essaim.experiences.plain_text import html_to_text, same_text, text_to_html
from essaim.moderation.forms import RelayedContactForm

TEXT_HELP = _("Un paragraphe par bloc, séparés par une ligne vide ; « - » en début de "
              "ligne pour une liste. ")  # fmt: skip


def _text_field(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=f"{TEXT_HELP}{NO_CONTACT_HELP}",
                           widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip


class CoEditForm(forms.Form):
    """What the sheet's team keeps up to date, without the back office."""

    title = forms.CharField(label=_("Titre"), max_length=255)
    summary = forms.CharField(
        label=_("Résumé"), max_length=500, help_text=NO_CONTACT_HELP,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )  # fmt: skip
    outcome = forms.ChoiceField(label=_("Issue"), choices=Outcome.choices)
    started_on = forms.DateField(label=_("Début"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Format : jj/mm/aaaa."))  # fmt: skip
    ended_on = forms.DateField(label=_("Fin"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Vide si le projet est en cours."))  # fmt: skip
    context = _text_field(_("Contexte et besoin"))
    actors = _text_field(_("Acteurs et partenaires"))
    resources = _text_field(_("Moyens et budget"))
    budget_amount = forms.DecimalField(label=_("Budget total (€)"), required=False,
                                       max_digits=12, decimal_places=2, min_value=0)  # fmt: skip
    results = _text_field(_("Résultats"))
    what_worked = _text_field(_("Ce qui a marché"))
    what_did_not_work = _text_field(_("Ce qui n'a pas marché, et pourquoi"))
    lessons = _text_field(_("Enseignements"))
    replication = _text_field(_("Conditions pour reproduire ailleurs"))
    note = forms.CharField(
        label=_("Note de modification"), max_length=200, required=False,
        help_text=_("Ce que vous avez changé, en quelques mots : elle apparaît dans "
                    "l'historique public."),
    )  # fmt: skip

    def __init__(self, *args, page: ExperiencePage, **kwargs):
        self.page = page
        initial = {
            name: getattr(page, name)
            for name in ("title", "summary", "outcome", "started_on", "ended_on", "budget_amount")
        }
        initial |= {name: html_to_text(getattr(page, name)) for name in page.RICH_TEXT_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)  # fmt: skip
        for name in ("started_on", "ended_on"):
            self.fields[name].widget.format = "%Y-%m-%d"

    def changes(self) -> dict:
        """Field values to set on the page; untouched sections keep their original HTML."""
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in ("title", "summary", "outcome", "started_on", "ended_on", "budget_amount")
        }
        for name in self.page.RICH_TEXT_FIELDS:
            if not same_text(data[name], self.initial[name]):
                values[name] = text_to_html(data[name])
        return values  # fmt: skip


class StepForm(forms.Form):
    period = forms.CharField(label=_("Période ou date"), max_length=60, required=False)
    title = forms.CharField(label=_("Titre de l'étape"), max_length=120, required=False)
    text = forms.CharField(label=_("Ce qui s'est passé"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(name) for name in ("period", "text")) and not cleaned.get("title"):
            self.add_error("title", _("Donnez un titre à cette étape."))
        if cleaned.get("title") and not cleaned.get("period"):
            self.add_error("period", _("Indiquez la période ou la date de cette étape."))
        return cleaned


class FigureForm(forms.Form):
    label = forms.CharField(label=_("Ce qui est compté"), max_length=120, required=False)
    value = forms.DecimalField(label=_("Valeur"), max_digits=14, decimal_places=2, required=False)
    unit = forms.CharField(label=_("Unité"), max_length=30, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("label") and cleaned.get("value") is None:
            self.add_error("value", _("Indiquez la valeur de ce chiffre."))
        if cleaned.get("value") is not None and not cleaned.get("label"):
            self.add_error("label", _("Dites ce que ce chiffre compte."))
        return cleaned


StepFormSet = forms.formset_factory(StepForm, extra=2, max_num=40, absolute_max=40)
FigureFormSet = forms.formset_factory(FigureForm, extra=2, max_num=20, absolute_max=20)


def step_initial(page: ExperiencePage) -> list[dict]:
    return [dict(step.value) for step in page.timeline]


def figure_initial(page: ExperiencePage) -> list[dict]:
    return [dict(figure.value) for figure in page.key_figures]


def timeline_value(page: ExperiencePage, formset) -> list:
    """The StreamField value of the filled rows, in order."""
    block = page.timeline.stream_block.child_blocks["step"]
    rows = [form.cleaned_data for form in formset if form.cleaned_data.get("title")]
    return [("step", block.to_python({"period": row["period"], "title": row["title"],
                                      "text": row["text"]})) for row in rows]  # fmt: skip


def figures_value(page: ExperiencePage, formset) -> list:
    block = page.key_figures.stream_block.child_blocks["figure"]
    rows = [form.cleaned_data for form in formset if form.cleaned_data.get("label")]
    return [("figure", block.to_python({"label": row["label"], "value": str(row["value"]),
                                        "unit": row["unit"]})) for row in rows]  # fmt: skip


class ContactForm(RelayedContactForm):
    """« Reproduire cette expérience » : relayed by e-mail to the sheet's team."""

    antispam_scope = "experience-contact"
    email_help_text = _("Pour que l'équipe puisse vous répondre. Elle n'est pas publiée.")
    message_help_text = _("Votre projet, votre territoire, ce que vous aimeriez savoir.")
