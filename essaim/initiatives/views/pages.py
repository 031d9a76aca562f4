"""Public pages of initiatives: list, detail, proposal, owner's edit and confirmation,
contact form, members' votes."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from essaim.accounts.roles import Role, has_role
from essaim.initiatives import opening_hours, related, services, structured_data
from essaim.initiatives.duplicates import find_duplicates
from essaim.initiatives.forms import ContactForm, EditForm, ProposalForm
from essaim.initiatives.models import Initiative
from essaim.moderation.exceptions import InvalidEdit
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from essaim.territories.territory import commune_filter, find_territory

PER_PAGE = 20
MAX_QUERY = 100


def _themes():
    return Prefetch("themes", Theme.objects.order_by("position", "name"))


# --- list ------------------------------------------------------------------------------


@require_safe
def initiative_list(request):
    """Public initiatives; ?theme= (with its sub-themes), ?territoire=, ?q= (name, summary)."""
    initiatives, filters = _filtered(request)
    page = Paginator(initiatives, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "filters": filters, "query_string": query.urlencode(),
               "top_themes": Theme.objects.top_level().order_by("position", "name")}  # fmt: skip
    return render(request, "initiatives/list.html", context)


def _filtered(request):
    initiatives = (
        Initiative.objects.public()
        .select_related("commune__departement")
        .prefetch_related(_themes())
        .order_by("name", "pk")
    )
    filters = {"q": request.GET.get("q", "").strip()[:MAX_QUERY], "theme": None,
               "territory": None, "unknown_territory": False}  # fmt: skip
    if slug := request.GET.get("theme", "").strip():
        filters["theme"] = theme = Theme.objects.filter(slug=slug).first()
        initiatives = initiatives.filter(themes__in=_with_children(theme)).distinct()
    if key := request.GET.get("territoire", "").strip()[:MAX_QUERY]:
        filters["territory"] = territory = find_territory(key)
        filters["unknown_territory"] = territory is None
        initiatives = (
            initiatives.filter(commune_filter(territory)) if territory else initiatives.none()
        )
    if filters["q"]:
        initiatives = initiatives.filter(Q(name__icontains=filters["q"])
                                         | Q(summary__icontains=filters["q"]))  # fmt: skip
    return initiatives, filters


def _with_children(theme: Theme | None) -> list[int]:
    if theme is None:
        return []
    return theme.family_ids()


# --- detail ----------------------------------------------------------------------------


def _public_initiative(slug: str) -> Initiative:
    queryset = Initiative.objects.public().select_related("commune__region", "source")
    return get_object_or_404(queryset.prefetch_related(_themes()), slug=slug)


@require_safe
def detail(request, slug):
    initiative = _public_initiative(slug)
    return render(request, "initiatives/detail.html", _detail_context(request, initiative))


def _detail_context(request, initiative: Initiative, contact_form=None) -> dict:
    url = request.build_absolute_uri(initiative.get_absolute_url())
    offers_contact = bool(initiative.email) and not initiative.email_public
    if offers_contact and contact_form is None:
        contact_form = ContactForm(request=request)
    return {
        "initiative": initiative,
        "hours": opening_hours.describe(initiative.opening_hours),
        "jsonld": structured_data.script_json(
            structured_data.initiative_document(initiative, url=url)
        ),
        "canonical_url": url,
        "image_url": (
            structured_data.absolute_media(url, initiative.image.url) if initiative.image else ""
        ),
        "contact_form": contact_form if offers_contact else None,
        "tile_url": settings.ESSAIM_TILE_URL,
        "can_edit": services.is_owner(request.user, initiative),
        "related_sections": related.sections_of(initiative),
    }


# --- contact ---------------------------------------------------------------------------


@require_POST
def contact(request, slug):
    """Relays a visitor's message to the initiative's private address."""
    initiative = _public_initiative(slug)
    if not initiative.email or initiative.email_public:
        raise Http404
    form = ContactForm(request.POST, request=request)
    if not form.is_valid():
        context = _detail_context(request, initiative, contact_form=form)
        return render(request, "initiatives/detail.html", context, status=400)
    services.send_contact_message(initiative=initiative, **form.message_fields())
    return render(request, "initiatives/contact_sent.html", {"initiative": initiative})


# --- proposal --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def propose(request):
    form = ProposalForm(request.POST or None, request.FILES or None, request=request,
                        user=request.user)  # fmt: skip
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_to_check(form)
        if not duplicates:
            email = form.cleaned_data.get("proposer_email", "")
            initiative = services.propose_initiative(
                initiative=form.save(commit=False), themes=form.cleaned_data["themes"],
                by=request.user, email=email, address_hash=form.address_hash,
            )  # fmt: skip
            request.session["proposed_initiative"] = initiative.pk
            return redirect("initiatives:proposed")
    context = {"form": form, "duplicates": duplicates, "tile_url": settings.ESSAIM_TILE_URL}
    return render(request, "initiatives/propose.html", context)


def _duplicates_to_check(form) -> list:
    """Public look-alikes the proposer has not yet dismissed (pending ones stay private)."""
    if form.cleaned_data.get("not_duplicate"):
        return []
    instance = form.instance
    return find_duplicates(name=instance.name, latitude=instance.latitude,
                           longitude=instance.longitude, siret=instance.siret,
                           rna=instance.rna, include_pending=False)  # fmt: skip


@require_safe
def proposed(request):
    pk = request.session.get("proposed_initiative")
    initiative = Initiative.objects.filter(pk=pk).first() if pk else None
    return render(request, "initiatives/proposed.html", {"initiative": initiative})


# --- owner's edit and yearly confirmation ----------------------------------------------


def _editable(request, slug: str, *, purpose: str = "edit") -> tuple[Initiative, str]:
    """The initiative if the link's key or the signed-in owner allows it; refuses otherwise."""
    editable = Initiative.objects.filter(status__in=[Status.PENDING, Status.PUBLISHED])
    initiative = editable.filter(slug=slug).first()
    if initiative is None:
        raise Http404
    key = request.GET.get("cle", "")
    if services.key_is_valid(initiative, key, purpose=purpose):
        return initiative, key
    if services.is_owner(request.user, initiative):
        return initiative, ""
    if initiative.is_public:
        raise PermissionDenied
    raise Http404  # a pending initiative's existence is nobody else's business


@require_http_methods(["GET", "POST"])
def edit(request, slug):
    initiative, key = _editable(request, slug)
    form = EditForm(request.POST or None, request.FILES or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        email = "" if request.user.is_authenticated else services.owner_email(initiative)
        try:
            outcome = services.edit_initiative(initiative=initiative, changes=form.changes(),
                                               by=request.user, email=email)  # fmt: skip
        except InvalidEdit:
            outcome = "unchanged"
        return render(request, "initiatives/edit_done.html",
                      {"initiative": initiative, "outcome": outcome})  # fmt: skip
    context = {"form": form, "initiative": initiative, "key": key,
               "tile_url": settings.ESSAIM_TILE_URL}  # fmt: skip
    return render(request, "initiatives/edit.html", context)


@require_http_methods(["GET", "POST"])
def confirm(request, slug):
    """The yearly e-mail's link: one button confirms that the information is still right."""
    initiative, key = _editable(request, slug, purpose="confirm")
    if request.method == "POST":
        services.confirm_initiative(initiative=initiative)
        messages.success(request, _("Merci ! La fiche est marquée comme à jour."))
        return redirect(initiative.get_absolute_url() if initiative.is_public else "home")
    return render(request, "initiatives/confirm.html", {"initiative": initiative, "key": key})


# --- members' votes --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def vote(request, slug):
    """Members and facilitators validate or invalidate a pending initiative."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    initiative = get_object_or_404(Initiative.objects.pending().prefetch_related(_themes())
                                   .select_related("commune"), slug=slug)  # fmt: skip
    if not services.can_vote(request.user, initiative):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("approve") in ("1", "0"):
        services.cast_vote(initiative=initiative, voter=request.user,
                           approve=request.POST["approve"] == "1")  # fmt: skip
        messages.success(request, _("Votre vote est enregistré."))
        return redirect("initiatives:votes")
    mine = initiative.votes.filter(voter=request.user).first()
    return render(request, "initiatives/vote.html", {"initiative": initiative, "mine": mine})


@require_safe
def votes(request):
    """Pending initiatives a member may vote on."""
    if not (has_role(request.user, Role.MEMBER) or has_role(request.user, Role.FACILITATOR)):
        raise PermissionDenied
    pending = (
        Initiative.objects.pending()
        .exclude(Q(owner=request.user) | Q(submitted_by=request.user))
        .select_related("commune")
        .order_by("submitted_at", "pk")[:100]
    )
    return render(request, "initiatives/votes.html", {"initiatives": pending})
