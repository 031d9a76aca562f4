"""Back office: OPML import of sources (all or nothing)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from essaim.veille import services
from essaim.veille.forms import OPMLImportForm
from essaim.veille.imports import OPMLError

MAX_OPML_BYTES = 5 * 1024 * 1024


def import_opml(request):
    if not request.user.has_perm("veille.add_source"):
        raise PermissionDenied
    form = OPMLImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_OPML_BYTES:
                raise OPMLError(_("Fichier trop gros (5 Mo au plus)."))
            created, known = services.import_opml(
                data=upload.read(), is_public=form.cleaned_data["is_public"],
                themes=form.cleaned_data["themes"],
            )  # fmt: skip
        except OPMLError as exc:
            form.add_error("file", f"{exc} " + _("Rien n'a été importé."))
            status = 400
        else:
            messages.success(
                request,
                _("%(created)d source(s) ajoutée(s), %(known)d déjà suivie(s).")
                % {"created": created, "known": known},
            )
            return redirect("veille_admin:import-opml")
    elif request.method == "POST":
        status = 400
    context = {"form": form, "page_title": _("Importer des sources (OPML)"),
               "header_icon": "upload"}  # fmt: skip
    return TemplateResponse(request, "veille/admin/import_opml.html", context, status=status)


app_name = "veille_admin"
urlpatterns = [path("import-opml/", import_opml, name="import-opml")]
