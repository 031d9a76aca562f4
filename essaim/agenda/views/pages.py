"""An event's pages: detail, proposal (and its thank-you page), the owner's edit."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from essaim.agenda import services, structured_data
from essaim.agenda.forms import EditForm, ProposalForm
from essaim.agenda.models import Event, RegistrationMode
from essaim.moderation.exceptions import InvalidEdit
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme

NEXT_DATES = 10


def _themes():
    return Prefetch("themes", Theme.objects.order_by("position", "name"))


# --- detail ------------------------------------------------------------------------------


@require_safe
def detail(request, slug):
    queryset = Event.objects.public().select_related("commune").prefetch_related(_themes())
    event = get_object_or_404(queryset, slug=slug)
    coming = list(event.occurrences.coming(timezone.now()).select_related("change")[:NEXT_DATES])
    url = request.build_absolute_uri(event.get_absolute_url())
    image_url = request.build_absolute_uri(event.image.url) if event.image else ""
    documents = structured_data.event_documents(event, coming, url=url, image_url=image_url)
    context = {
        "event": event,
        "coming": coming,
        "past": not coming,
        "jsonld": structured_data.script_json(documents),
        "canonical_url": url,
        "tile_url": settings.ESSAIM_TILE_URL,
        "builtin_registration": event.registration_mode == RegistrationMode.BUILTIN,
        "can_edit": services.is_owner(request.user, event),
    }
    return render(request, "agenda/detail.html", context)


# --- proposal ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def propose(request):
    """``apercu`` (the preview button) shows the coming dates without saving."""
    data = request.POST if request.method == "POST" else None
    form = ProposalForm(data, request.FILES or None, request=request, user=request.user)
    if request.method == "POST" and form.is_valid():
        if "apercu" in request.POST:
            form.preview = form.preview_dates()
        else:
            event = services.propose_event(
                data=form.event_data(), author=request.user,
                email=form.cleaned_data.get("proposer_email", ""),
                address_hash=form.address_hash,
            )  # fmt: skip
            request.session["proposed_event"] = event.pk
            return redirect("agenda:proposed")
    status = 400 if form.errors else 200
    return render(request, "agenda/propose.html", {"form": form}, status=status)


@require_safe
def proposed(request):
    pk = request.session.get("proposed_event")
    event = Event.objects.filter(pk=pk).first() if pk else None
    return render(request, "agenda/proposed.html", {"event": event})


# --- owner's edit ----------------------------------------------------------------------------


def _editable(request, slug: str) -> tuple[Event, str]:
    """The event if the link's key or the signed-in owner allows it; refuses otherwise."""
    editable = Event.objects.filter(status__in=[Status.PENDING, Status.PUBLISHED])
    event = editable.select_related("commune", "owner").filter(slug=slug).first()
    if event is None:
        raise Http404
    key = request.GET.get("cle", "")
    if services.key_is_valid(event, key):
        return event, key
    if services.is_owner(request.user, event) or services.is_trusted(request.user):
        return event, ""
    if event.is_public:
        raise PermissionDenied
    raise Http404  # a pending event's existence is nobody else's business


@require_http_methods(["GET", "POST"])
def edit(request, slug):
    event, key = _editable(request, slug)
    form = EditForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        if "apercu" in request.POST:
            form.preview = form.preview_dates()
        else:
            email = "" if request.user.is_authenticated else services.owner_email(event)
            try:
                outcome = services.edit_event(event=event, changes=form.changes(),
                                              by=request.user, email=email)  # fmt: skip
            except InvalidEdit:
                outcome = "unchanged"
            return render(request, "agenda/edit_done.html", {"event": event, "outcome": outcome})
    context = {"form": form, "event": event, "key": key}
    return render(request, "agenda/edit.html", context, status=400 if form.errors else 200)
