"""Back office: "Importer des initiatives" (upload or URL, run in the background) and the
progress page that refreshes itself while the import runs."""

import uuid

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from essaim.accounts.roles import Role, has_role
from essaim.initiatives import tasks
from essaim.initiatives.models import ImportRun, ImportSource


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier"), required=False)
    url = forms.URLField(label=_("ou adresse web"), required=False, assume_scheme="https")
    fmt = forms.ChoiceField(
        label=_("Format"), required=False,
        choices=[("", _("Deviner")), *ImportSource.Kind.choices],
    )  # fmt: skip
    source = forms.ModelChoiceField(
        ImportSource.objects.all(), label=_("Source"), required=False,
        empty_label=_("Nouvelle source (nommée ci-dessous)"),
    )  # fmt: skip
    source_name = forms.CharField(label=_("Nom de la nouvelle source"), max_length=200,
                                  required=False)  # fmt: skip
    pending = forms.BooleanField(label=_("Soumettre les nouvelles fiches à la modération"),
                                 required=False)  # fmt: skip
    full = forms.BooleanField(
        label=_("Import complet : archiver les fiches disparues de la source"), required=False
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Donnez un fichier ou une adresse web (pas les deux)."))
        if not data.get("source") and not data.get("source_name"):
            self.add_error("source_name", _("Choisissez une source ou nommez-en une nouvelle."))
        return data


def _require_moderator(request) -> None:
    if not has_role(request.user, Role.MODERATOR):
        raise PermissionDenied


def start(request):
    _require_moderator(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = _create_run(form.cleaned_data, request.user)
        tasks.run_import.enqueue(run_id=run.pk)
        return redirect("initiatives_admin:import-run", run_id=run.pk)
    runs = ImportRun.objects.select_related("source")[:20]
    context = {"form": form, "runs": runs, **titled(_("Importer des initiatives"))}
    return TemplateResponse(request, "initiatives/admin/import_form.html", context)


def _create_run(data: dict, user) -> ImportRun:
    source = (
        data["source"]
        or ImportSource.objects.get_or_create(
            name=data["source_name"], defaults={"kind": data["fmt"] or "csv", "url": data["url"]}
        )[0]
    )
    if data["file"]:
        name = default_storage.save(f"imports/{uuid.uuid4().hex}-{data['file'].name}", data["file"])
        location = f"storage:{name}"
    else:
        location = data["url"]
    return ImportRun.objects.create(source=source, fmt=data["fmt"], location=location,
                                    pending=data["pending"], full=data["full"],
                                    started_by=user)  # fmt: skip


def titled(title) -> dict:
    """Wagtail's generic base puts ``page_title`` in the header and ``header_title`` in the
    <title>: without the latter, the browser tab says only "- Wagtail" (RGAA 8.6)."""
    return {"page_title": title, "header_title": title, "header_icon": "upload"}


def run_detail(request, run_id: int):
    _require_moderator(request)
    run = get_object_or_404(ImportRun.objects.select_related("source"), pk=run_id)
    context = {"run": run, **titled(_("Import « %s »") % run.source)}
    return TemplateResponse(request, "initiatives/admin/import_run.html", context)
