"""The moderators' queue in the back office (URLs: admin_urls.py; menu: wagtail_hooks.py)."""

import csv
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essaim.accounts.roles import Role, has_role
from essaim.moderation import registry, services
from essaim.moderation.exceptions import ModerationError
from essaim.moderation.forms import BlockForm, BulkRejectForm, DecisionForm, RefusalForm
from essaim.moderation.lookup import build_queue, get_item, item_key
from essaim.moderation.models import (
    BlockedAddress,
    ModerationEvent,
    PendingVersion,
    Report,
    Status,
    display,
    field_value,
)

ACTIONS = {
    "publish": (services.publish, DecisionForm, "Contenu publié."),
    "reject": (services.reject, RefusalForm, "Contenu refusé ; la personne est prévenue."),
    "archive": (services.archive, DecisionForm, "Contenu archivé."),
    "restore": (services.restore, DecisionForm, "Contenu rétabli."),
    "dismiss-reports": (services.dismiss_reports, DecisionForm,
                        "Signalements écartés ; le contenu est de nouveau visible."),
}  # fmt: skip


def moderator_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, Role.MODERATOR):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@moderator_required
def queue(request):
    context = {"queue": build_queue(), "page_title": _("Modération"), "header_icon": "warning",
               "bulk_form": BulkRejectForm()}  # fmt: skip
    return TemplateResponse(request, "moderation/admin/queue.html", context)


@moderator_required
def item(request, type_label: str, pk: str):
    entry, obj = get_item(type_label, pk, public_only=False)
    versions = PendingVersion.for_object(obj).filter(state=PendingVersion.State.PENDING)
    context = {
        "entry": entry,
        "object": obj,
        "page_title": str(obj),
        "page_subtitle": entry.verbose_name,
        "header_icon": "warning",
        "fields": _field_rows(obj, entry.detail_fields),
        "versions": [(v, v.diff(obj)) for v in versions.select_related("author")],
        "reports": Report.for_object(obj).select_related("reporter").order_by("-created_at"),
        "history": ModerationEvent.for_object(obj).select_related("actor"),
        "actions": [name for name in ACTIONS if _allowed(obj, name)],
        "can_block": obj.status == Status.PENDING and bool(services.submission_address(obj)),
        "decision_form": DecisionForm(),
        "Status": Status,
    }
    return TemplateResponse(request, "moderation/admin/item.html", context)


def _field_rows(obj, names) -> list[tuple[str, str]]:
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        rows.append((str(field.verbose_name), display(obj, field, field_value(obj, field))))
    return rows


def _allowed(obj, action: str) -> bool:
    if action == "dismiss-reports":
        return obj.is_hidden or Report.for_object(obj).filter(state=Report.State.OPEN).exists()
    return obj.can(action)


@require_POST
@moderator_required
def act(request, type_label: str, pk: str, action: str):
    _entry, obj = get_item(type_label, pk, public_only=False)
    if action not in ACTIONS:
        raise Http404
    service, form_class, done = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
    else:
        _run(request, done, service, obj=obj, by=request.user, reason=form.cleaned_data["reason"])
    return redirect("moderation_admin:item", type_label=type_label, pk=pk)


def _run(request, done: str, service, **kwargs) -> None:
    try:
        service(**kwargs)
    except ModerationError:
        messages.error(request, _("Cette action n'est pas possible dans l'état actuel du contenu."))
    else:
        messages.success(request, _(done))


@require_POST
@moderator_required
def decide_version(request, version_id: int, decision: str):
    version = get_object_or_404(PendingVersion, pk=version_id)
    obj = version.content_object
    if obj is None or registry.for_model(type(obj)) is None or decision not in ("accept", "reject"):
        raise Http404
    form = (RefusalForm if decision == "reject" else DecisionForm)(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
    elif decision == "accept":
        _run(request, "Modification acceptée et publiée.", services.accept_edit, version=version,
             by=request.user, reason=form.cleaned_data["reason"])  # fmt: skip
    else:
        _run(request, "Modification refusée ; la version publiée est conservée.",
             services.reject_edit, version=version, by=request.user,
             reason=form.cleaned_data["reason"])  # fmt: skip
    return redirect("moderation_admin:item", type_label=obj._meta.label_lower, pk=obj.pk)


@require_POST
@moderator_required
def bulk_reject(request):
    objects = list(_bulk_candidates(request.POST.getlist("items")).values())
    form = BulkRejectForm(request.POST)
    if not objects:
        messages.error(request, _("Sélectionnez au moins un contenu à refuser."))
    elif not form.is_valid():
        messages.error(request, form.errors["reason"][0])
    else:
        count = services.reject_many(objects=objects, by=request.user,
                                     reason=form.cleaned_data["reason"])  # fmt: skip
        messages.success(request, _("%(count)d contenu(s) refusé(s).") % {"count": count})
    return redirect("moderation_admin:queue")


def _bulk_candidates(keys: list[str]) -> dict[str, object]:
    """The registered items named by "app_label.model_name:pk" keys; unknown keys dropped."""
    found = {}
    for key in keys[:500]:
        type_label, _sep, pk = key.partition(":")
        try:
            _entry, obj = get_item(type_label, pk, public_only=False)
        except Http404:
            continue
        found[item_key(obj)] = obj
    return found


@moderator_required
def block(request):
    """Confirm, then block the addresses the selected items came from and refuse every
    pending item sent from them (GET or unconfirmed POST: the confirmation page)."""
    data = request.POST if request.method == "POST" else request.GET
    selected = list(_bulk_candidates(data.getlist("items")).values())
    addresses = {services.submission_address(obj) for obj in selected} - {""}
    form = BlockForm(request.POST if "confirm" in request.POST else None,
                     initial={"reason": data.get("reason", "")})  # fmt: skip
    if not addresses:
        messages.error(request, _("Aucune adresse connue pour la sélection : ces contenus ont "
                                  "été proposés depuis un compte, ou l'empreinte de leur "
                                  "adresse a déjà été effacée."))  # fmt: skip
        return redirect("moderation_admin:queue")
    if form.is_bound and form.is_valid():
        blocked, refused = services.block_addresses(
            hashes=addresses, by=request.user, reason=form.cleaned_data["reason"],
            expires_at=form.expires_at(),
        )  # fmt: skip
        messages.success(
            request,
            _("%(blocked)d adresse(s) bloquée(s), %(refused)d contenu(s) refusé(s).")
            % {"blocked": blocked, "refused": refused},
        )
        return redirect("moderation_admin:queue")
    context = {"page_title": _("Bloquer l'adresse et refuser ses contributions en attente"),
               "header_icon": "warning", "form": form,
               "keys": [item_key(obj) for obj in selected],
               "addresses": sorted(a[:8] for a in addresses),
               "to_refuse": [(obj, obj._meta.verbose_name)
                             for obj in services.pending_from(addresses)]}  # fmt: skip
    return TemplateResponse(request, "moderation/admin/block.html", context)


@moderator_required
def blocked_addresses(request):
    blocks = BlockedAddress.objects.active().select_related("blocked_by")
    context = {"page_title": _("Adresses bloquées"), "header_icon": "warning", "blocks": blocks}
    return TemplateResponse(request, "moderation/admin/blocked.html", context)


@require_POST
@moderator_required
def unblock(request, pk: int):
    block = get_object_or_404(BlockedAddress, pk=pk)
    block.delete()
    messages.success(request, _("Adresse #%(hash)s débloquée.") % {"hash": block.short_hash})
    return redirect("moderation_admin:blocked")


@moderator_required
def history_csv(request, type_label: str, pk: str):
    _entry, obj = get_item(type_label, pk, public_only=False)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="historique-{obj.pk}.csv"'
    events = ModerationEvent.for_object(obj).select_related("actor", "content_type")
    writer = csv.DictWriter(response, fieldnames=ModerationEvent.EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(event.as_row() for event in events)
    return response
