from django import forms
from django.utils.translation import gettext_lazy as _

from essaim.evaluation.models import LEVELS, Action, Criterion, GridVersion
from essaim.initiatives.models import Initiative
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune

NOT_APPLICABLE = "na"


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Nom du projet"), max_length=200)
    description = forms.CharField(
        label=_("Description (facultative)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    initiative = forms.CharField(
        label=_("Initiative de la carte (facultatif)"),
        required=False,
        max_length=300,
        help_text=_(
            "Son adresse web ou son identifiant, par exemple « la-ruche-solidaire ». "
            "Le lien reste privé à l'équipe."
        ),
    )
    theme = forms.ModelChoiceField(
        label=_("Thème principal (facultatif)"),
        required=False,
        queryset=Theme.objects.order_by("position", "name"),
    )
    commune = forms.CharField(
        label=_("Code INSEE de la commune (facultatif)"), required=False, max_length=5
    )

    def clean_initiative(self):
        key = self.cleaned_data["initiative"].strip().rstrip("/").rsplit("/", 1)[-1]
        if not key:
            return None
        found = Initiative.objects.public().filter(slug=key).first()
        if found is None:
            raise forms.ValidationError(_("Aucune initiative publiée ne porte cet identifiant."))
        return found

    def clean_commune(self):
        code = self.cleaned_data["commune"].strip()
        if not code:
            return None
        found = Commune.objects.filter(pk=code).first()
        if found is None:
            raise forms.ValidationError(_("Code INSEE inconnu."))
        return found


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne invitée"))


class AssessmentForm(forms.Form):
    title = forms.CharField(
        label=_("Titre de l'évaluation"),
        max_length=200,
        help_text=_("Par exemple « Auto-évaluation 2026 »."),
    )
    version = forms.ModelChoiceField(label=_("Grille"), queryset=GridVersion.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = GridVersion.objects.select_related("grid").order_by(
            "grid__name", "-number"
        )


def level_choices(criterion: Criterion) -> list[tuple[str, str]]:
    choices = [(str(n), f"{n} — {text}") for n, text in zip(LEVELS, criterion.levels, strict=True)]
    if criterion.allows_not_applicable:
        choices.append((NOT_APPLICABLE, str(_("Sans objet pour notre projet"))))
    return choices


def parse_level(value: str) -> tuple[int | None, bool]:
    """(level, not applicable) from a radio value: "0"…"4", "na" or ""."""
    if value == NOT_APPLICABLE:
        return None, True
    return (int(value) if value else None), False


class AnswerForm(forms.Form):
    """One criterion of a respondent's form (prefix ``c<criterion id>``)."""

    level = forms.ChoiceField(label=_("Niveau"), required=False, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_url = forms.URLField(
        label=_("Lien vers une preuve (facultatif)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    def __init__(self, *args, criterion: Criterion, **kwargs):
        kwargs.setdefault("prefix", f"c{criterion.pk}")
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        self.fields["level"].choices = level_choices(criterion)
        self.fields["level"].label = criterion.name

    @property
    def is_answered(self) -> bool:
        return bool(self["level"].value())


class ConsolidationForm(forms.Form):
    level = forms.ChoiceField(label=_("Niveau retenu"), required=False)
    comment = forms.CharField(
        label=_("Commentaire de consolidation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, criterion: Criterion, **kwargs):
        kwargs.setdefault("prefix", f"c{criterion.pk}")
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        self.fields["level"].choices = [("", "—"), *level_choices(criterion)]


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "criterion", "owner", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, project, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["criterion"].queryset = criteria
        self.fields["owner"].queryset = get_user_model().objects.filter(
            evaluation_memberships__project=project
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("État"), choices=Action.Status.choices)
