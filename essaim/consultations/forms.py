"""Forms of the consultations: one page to propose, comment, answer, invite a co-author."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from essaim.consultations.models import AnswerState, Comment
from essaim.taxonomy.models import Theme
from essaim.territories.forms import resolve_commune

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_ATTACHMENTS = 5


def sniff(upload) -> str:
    """The content type the file's bytes show (PDF or JPEG/PNG/WebP image), or ValidationError."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "application/pdf"
    try:
        with Image.open(upload) as image:
            kind = IMAGE_FORMATS.get(image.format or "")
            image.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        kind = None
    upload.seek(0)
    if not kind:
        raise ValidationError(_("« %(name)s » n'est ni un PDF ni une image JPEG, PNG ou WebP."),
                              params={"name": upload.name})  # fmt: skip
    return kind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files; cleaned to [(title, upload, content type)], each checked by content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("%(n)d fichiers au plus."), params={"n": MAX_ATTACHMENTS})
        limit = settings.ESSAIM_CONSULTATIONS_ATTACHMENT_MAX_BYTES
        cleaned = []
        for upload in files:
            if upload.size > limit:
                raise ValidationError(
                    _("« %(name)s » dépasse %(mb)d Mo."),
                    params={"name": upload.name, "mb": limit // 1_000_000},
                )
            cleaned.append((upload.name[:200], upload, sniff(upload)))
        return cleaned


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(
        label=_("Votre proposition"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000,
        help_text=_("Texte simple : laissez une ligne vide entre deux paragraphes."),
    )  # fmt: skip
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"), queryset=Theme.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    commune = forms.CharField(
        label=_("Commune concernée (facultatif)"), max_length=200, required=False,
        help_text=_("Si votre proposition concerne un lieu précis. Ex. : Tours"),
    )  # fmt: skip
    postal_code = forms.CharField(label=_("Code postal (facultatif)"), max_length=5, required=False)
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90,
                                widget=forms.HiddenInput)  # fmt: skip
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180,
                                 widget=forms.HiddenInput)  # fmt: skip
    attachments = AttachmentsField(
        label=_("Pièces jointes (facultatif)"), required=False,
        help_text=_("PDF ou images (JPEG, PNG, WebP), 5 fichiers et %(mb)d Mo par fichier "
                    "au plus."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.tree_order()
        self.fields["themes"].label_from_instance = lambda theme: theme.name
        limit = settings.ESSAIM_CONSULTATIONS_ATTACHMENT_MAX_BYTES // 1_000_000
        self.fields["attachments"].help_text = self.fields["attachments"].help_text % {"mb": limit}

    def clean(self):
        data = super().clean()
        text, code = data.get("commune", "").strip(), data.get("postal_code", "").strip()
        data["commune_obj"] = None
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            data["latitude"] = data["longitude"] = None  # half a point is no point
        if text or code:
            try:
                data["commune_obj"] = resolve_commune(postal_code=code, text=text)
            except ValidationError as error:
                self.add_error("commune", error)
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "body": data["body"], "themes": list(data["themes"]),
                "commune": data["commune_obj"], "latitude": data.get("latitude"),
                "longitude": data.get("longitude")}  # fmt: skip


class ContributionForm(ProposalForm):
    """A long structured contribution: a summary and ordered sections (heading + text)."""

    SECTIONS = 8

    summary = forms.CharField(
        label=_("Résumé"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["body"]
        for i in range(1, self.SECTIONS + 1):
            self.fields[f"heading_{i}"] = forms.CharField(
                label=_("Titre de la section %(n)d") % {"n": i}, max_length=200, required=i == 1
            )
            self.fields[f"section_{i}"] = forms.CharField(
                label=_("Texte de la section %(n)d") % {"n": i}, required=i == 1,
                widget=forms.Textarea(attrs={"rows": 6}), max_length=20000,
            )  # fmt: skip

    def section_fields(self):
        return [(self[f"heading_{i}"], self[f"section_{i}"]) for i in range(1, self.SECTIONS + 1)]

    def clean(self):
        data = super().clean()
        for i in range(1, self.SECTIONS + 1):
            if bool(data.get(f"heading_{i}")) != bool(data.get(f"section_{i}")):
                self.add_error(f"section_{i}", _("Donnez un titre et un texte à chaque section."))
        return data

    def sections(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data[f"heading_{i}"], data[f"section_{i}"]) for i in range(1, self.SECTIONS + 1)
                if data.get(f"heading_{i}")]  # fmt: skip

    def changes(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "summary": data["summary"], "themes": list(data["themes"]),
                "commune": data["commune_obj"], "latitude": data.get("latitude"),
                "longitude": data.get("longitude")}  # fmt: skip


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Votre commentaire"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        if not pk:
            return None
        parent = Comment.objects.public().filter(proposal=self.proposal, pk=pk).first()
        if parent is None:
            raise ValidationError(_("Ce commentaire n'existe plus."))
        return parent


class AnswerForm(forms.Form):
    state = forms.ChoiceField(label=_("Réponse"), choices=AnswerState.choices)
    text = forms.CharField(label=_("Texte de la réponse"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=10000)  # fmt: skip


class CoAuthorForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail du ou de la co-auteur·rice"))
