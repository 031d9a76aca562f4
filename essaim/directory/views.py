"""Pages of the directory: organisations, people, offers and needs, facilitators."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from essaim.accounts.roles import Role, has_role
from essaim.common.html import clean_html
from essaim.directory import services, structured_data
from essaim.directory.forms import (
    ClaimForm,
    ContactForm,
    LinkForm,
    MemberForm,
    OfferNeedForm,
    OrganisationForm,
    ProfileForm,
)
from essaim.directory.models import (
    Claim,
    FacilitatorArea,
    LegalForm,
    Membership,
    OfferNeed,
    Organisation,
    OrganisationKind,
    OrganisationLink,
    PersonProfile,
    Visibility,
)
from essaim.moderation.antispam import address_hash
from essaim.moderation.exceptions import InvalidEdit
from essaim.moderation.models import Status
from essaim.taxonomy.models import Theme
from essaim.territories.territory import commune_filter, find_territory

PER_PAGE = 20
MAX_QUERY = 100


def _themes():
    return Prefetch("themes", Theme.objects.order_by("position", "name"))


def _paginate(request, queryset, template: str, context: dict):
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context |= {
        "page": page,
        "query_string": query.urlencode(),
        "top_themes": Theme.objects.top_level().order_by("position", "name"),
    }
    return render(request, template, context)


def _territory_filter(request, queryset, filters, prefix="commune"):
    if key := request.GET.get("territoire", "").strip()[:MAX_QUERY]:
        filters["territory"] = territory = find_territory(key)
        filters["unknown_territory"] = territory is None
        queryset = (
            queryset.filter(commune_filter(territory, prefix=prefix))
            if territory
            else queryset.none()
        )
    return queryset


def _theme_filter(request, queryset, filters):
    if slug := request.GET.get("theme", "").strip():
        filters["theme"] = theme = Theme.objects.filter(slug=slug).first()
        ids = theme.family_ids() if theme else []
        queryset = queryset.filter(themes__in=ids).distinct()
    return queryset


# --- organisations -------------------------------------------------------------------------


@require_safe
def organisation_list(request):
    """Public organisations; ?q=, ?theme=, ?territoire=, ?forme=, ?type=."""
    found = (
        Organisation.objects.public()
        .select_related("commune")
        .prefetch_related(_themes())
        .order_by("name", "pk")
    )
    filters = {
        "q": request.GET.get("q", "").strip()[:MAX_QUERY],
        "theme": None,
        "territory": None,
        "unknown_territory": False,
        "forme": request.GET.get("forme", ""),
        "type": request.GET.get("type", ""),
    }
    found = _territory_filter(request, _theme_filter(request, found, filters), filters)
    if filters["q"]:
        found = found.filter(Q(name__icontains=filters["q"]) | Q(summary__icontains=filters["q"]))
    if filters["forme"] in LegalForm.values:
        found = found.filter(legal_form=filters["forme"])
    if filters["type"] in OrganisationKind.values:
        found = found.filter(kind=filters["type"])
    context = {
        "filters": filters,
        "legal_forms": LegalForm.choices,
        "kinds": OrganisationKind.choices,
    }
    return _paginate(request, found, "directory/organisation_list.html", context)


def _public_organisation(slug: str) -> Organisation:
    queryset = Organisation.objects.public().select_related("commune__region")
    return get_object_or_404(queryset.prefetch_related(_themes()), slug=slug)


@require_safe
def organisation_detail(request, slug):
    organisation = _public_organisation(slug)
    return render(
        request, "directory/organisation_detail.html", _organisation_context(request, organisation)
    )


def _organisation_context(request, organisation, contact_form=None) -> dict:
    from essaim.directory import knowledge

    url = request.build_absolute_uri(organisation.get_absolute_url())
    offers_contact = (
        bool(services.contact_recipients(organisation)) and not organisation.email_public
    )
    is_admin = services.is_admin(request.user, organisation)
    return {
        "organisation": organisation,
        "description_html": clean_html(organisation.description),
        "jsonld": structured_data.script_json(
            structured_data.organisation_document(organisation, url=url)
        ),
        "canonical_url": url,
        "contact_form": (contact_form or ContactForm(request=request)) if offers_contact else None,
        "members": (
            organisation.memberships.filter(user__directory_profile__listed=True).select_related(
                "user__directory_profile"
            )
        ),
        "links_out": OrganisationLink.objects.public()
        .filter(source=organisation)
        .select_related("target"),
        "links_in": OrganisationLink.objects.public()
        .filter(target=organisation)
        .select_related("source"),
        "knowledge": knowledge.what_the_platform_knows(organisation),
        "offers_needs": organisation.offers_needs.public().current().order_by("-created_at")[:10],
        "is_admin": is_admin,
        "suggested_initiatives": services.suggested_initiatives(organisation) if is_admin else [],
        "can_claim": request.user.is_authenticated and not is_admin,
    }


@require_POST
def organisation_contact(request, slug):
    organisation = _public_organisation(slug)
    if organisation.email_public or not services.contact_recipients(organisation):
        raise Http404
    return _relay(
        request,
        organisation,
        "directory/organisation_detail.html",
        lambda form: _organisation_context(request, organisation, form),
    )


def _relay(request, target, template, context_with):
    form = ContactForm(request.POST, request=request)
    if not form.is_valid():
        return render(request, template, context_with(form), status=400)
    services.send_contact_message(
        target=target,
        sender=request.user,
        address_hash=address_hash(request),
        **form.message_fields(),
    )
    return render(request, "directory/contact_sent.html", {"target": target})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_propose(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.propose_organisation(
            organisation=form.save(commit=False),
            themes=form.cleaned_data["themes"],
            by=request.user,
        )
        return render(
            request, "directory/organisation_proposed.html", {"organisation": organisation}
        )
    return render(request, "directory/organisation_form.html", {"form": form, "propose": True})


def _administered(request, slug) -> Organisation:
    editable = Organisation.objects.filter(
        status__in=[Status.PENDING, Status.PUBLISHED, Status.DRAFT]
    )
    organisation = editable.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if not services.is_admin(request.user, organisation):
        if organisation.is_public:
            raise PermissionDenied
        raise Http404  # a pending organisation's existence is nobody else's business
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = _administered(request, slug)
    # The form edits a copy: a published organisation changes only once moderators accept.
    copy = Organisation.objects.get(pk=organisation.pk)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=copy)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.edit_organisation(
                organisation=organisation, changes=form.changes(), by=request.user
            )
        except InvalidEdit:
            outcome = "unchanged"
        messages.success(
            request,
            {
                "pending": _("Merci ! Vos modifications seront publiées après relecture."),
                "saved": _("Vos modifications sont enregistrées."),
                "unchanged": _("Aucune modification."),
            }[outcome],
        )
        return redirect(organisation.get_absolute_url() if organisation.is_public else "home")
    return render(
        request, "directory/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_claim(request, slug):
    organisation = _public_organisation(slug)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.claim_organisation(
            organisation=organisation, user=request.user, message=form.cleaned_data["message"]
        )
        messages.success(request, _("Votre demande est transmise à l'équipe de modération."))
        return redirect(organisation.get_absolute_url())
    return render(request, "directory/claim.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_links(request, slug):
    """An admin proposes links from the organisation and confirms links to it."""
    organisation = _administered(request, slug)
    form = LinkForm(request.POST or None)
    form.fields["target"].queryset = Organisation.objects.public().exclude(pk=organisation.pk)
    if request.method == "POST" and "initiative" in request.POST:
        suggested = services.suggested_initiatives(organisation)
        initiative = next((i for i in suggested if str(i.pk) == request.POST["initiative"]), None)
        if initiative is not None:
            organisation.initiatives.add(initiative)
            messages.success(request, _("L'initiative est reliée à l'organisation."))
        return redirect(organisation.get_absolute_url())
    if request.method == "POST" and "link" in request.POST:
        link = get_object_or_404(OrganisationLink, pk=request.POST["link"], target=organisation)
        services.confirm_link(link=link, by=request.user, accept=request.POST.get("accept") == "1")
        return redirect("directory:links", slug=slug)
    if request.method == "POST" and form.is_valid():
        services.propose_link(
            source=organisation,
            target=form.cleaned_data["target"],
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
        messages.success(request, _("Le lien est proposé ; il s'affiche une fois confirmé."))
        return redirect("directory:links", slug=slug)
    context = {
        "organisation": organisation,
        "form": form,
        "to_confirm": organisation.links_in.filter(confirmed_at__isnull=True).select_related(
            "source"
        ),
        "outgoing": organisation.links_out.select_related("target"),
    }
    return render(request, "directory/links.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request, slug):
    """Admins add people (by their account's address) as admins or members, or remove them."""
    organisation = _administered(request, slug)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        removed = organisation.memberships.exclude(user=request.user)
        removed.filter(pk=request.POST["remove"]).delete()
        return redirect("directory:members", slug=slug)
    if request.method == "POST" and form.is_valid():
        services.set_member(
            organisation=organisation,
            user=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
        messages.success(request, _("Membre enregistré."))
        return redirect("directory:members", slug=slug)
    memberships = organisation.memberships.select_related("user").order_by("role", "user__email")
    context = {"organisation": organisation, "form": form, "memberships": memberships}
    return render(request, "directory/members.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def claims(request):
    """The moderators' queue of claims."""
    if not has_role(request.user, Role.MODERATOR):
        raise PermissionDenied
    if request.method == "POST":
        claim = get_object_or_404(Claim, pk=request.POST.get("claim"), state=Claim.State.PENDING)
        services.decide_claim(
            claim=claim, by=request.user, approve=request.POST.get("approve") == "1"
        )
        messages.success(request, _("Décision enregistrée."))
        return redirect("directory:claims")
    pending = Claim.objects.filter(state=Claim.State.PENDING).select_related("organisation", "user")
    return render(request, "directory/claims.html", {"claims": pending})


# --- people --------------------------------------------------------------------------------


def _people():
    return PersonProfile.objects.public().prefetch_related(
        _themes(), "communes__departement", "departements"
    )


def _public_field(field: str) -> Q:
    """Profiles whose ``field`` is public (the default visibility counts)."""
    default_public = PersonProfile.VISIBLE_FIELDS[field] == Visibility.PUBLIC
    condition = Q(**{f"visibility__{field}": Visibility.PUBLIC.value})
    return condition | ~Q(visibility__has_key=field) if default_public else condition


def _acting_in(territory) -> Q:
    """People acting in a commune of ``territory`` or in a département that overlaps it."""
    from essaim.territories.models import Departement
    from essaim.territories.territory import communes_of

    communes = communes_of(territory).values("pk")
    departements = Departement.objects.filter(communes__in=communes).values("pk")
    return Q(communes__in=communes) | Q(departements__in=departements)


@require_safe
def person_list(request):
    """Listed profiles; filters apply to public fields only (never reveal a hidden one):
    ?q= (name), ?competence=, ?theme=, ?territoire=."""
    found = _people().order_by("name", "pk")
    filters = {
        "q": request.GET.get("q", "").strip()[:MAX_QUERY],
        "theme": None,
        "skill": request.GET.get("competence", "").strip()[:MAX_QUERY],
        "territory": None,
        "unknown_territory": False,
    }
    if filters["q"]:
        found = found.filter(name__icontains=filters["q"])
    if filters["skill"]:
        found = found.filter(_public_field("skills"), skills__icontains=filters["skill"])
    if slug := request.GET.get("theme", "").strip():
        filters["theme"] = theme = Theme.objects.filter(slug=slug).first()
        found = found.filter(_public_field("themes"), themes=theme) if theme else found.none()
    if key := request.GET.get("territoire", "").strip()[:MAX_QUERY]:
        filters["territory"] = territory = find_territory(key)
        filters["unknown_territory"] = territory is None
        found = (
            found.filter(_public_field("territories"), _acting_in(territory)).distinct()
            if territory
            else found.none()
        )
    return _paginate(request, found, "directory/person_list.html", {"filters": filters})


def _person_context(request, person, contact_form=None) -> dict:
    signed_in = request.user.is_authenticated
    shown = person.visible_values(signed_in=signed_in)
    return {
        "person": person,
        "shown": shown,
        "contact_form": contact_form or ContactForm(request=request)
        if "email" not in shown
        else None,
        "offers_needs": person.offers_needs.public().current().order_by("-created_at")[:10],
    }


@require_safe
def person_detail(request, slug):
    person = get_object_or_404(_people(), slug=slug)
    return render(request, "directory/person_detail.html", _person_context(request, person))


@require_POST
def person_contact(request, slug):
    person = get_object_or_404(_people(), slug=slug)
    return _relay(
        request,
        person,
        "directory/person_detail.html",
        lambda form: _person_context(request, person, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request):
    profile = PersonProfile.objects.filter(user=request.user).first()
    if request.method == "POST" and "delete" in request.POST:
        services.delete_profile(user=request.user)
        messages.success(request, _("Votre profil d'annuaire est supprimé."))
        return redirect("directory:my-profile")
    instance = profile or PersonProfile(name=request.user.display_name or "")
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_profile(
            profile=form.save(),
            user=request.user,
            themes=form.cleaned_data["themes"],
            **form.territories,
        )
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("directory:my-profile")
    return render(request, "directory/my_profile.html", {"form": form, "profile": profile})


# --- offers and needs ----------------------------------------------------------------------


@require_safe
def offer_need_list(request):
    found = (
        OfferNeed.objects.public()
        .current()
        .select_related("commune", "organisation", "person")
        .prefetch_related(_themes())
    )
    filters = {
        "q": request.GET.get("q", "").strip()[:MAX_QUERY],
        "theme": None,
        "territory": None,
        "unknown_territory": False,
        "sens": request.GET.get("sens", ""),
        "nature": request.GET.get("nature", ""),
    }
    found = _territory_filter(request, _theme_filter(request, found, filters), filters)
    if filters["q"]:
        found = found.filter(
            Q(title__icontains=filters["q"]) | Q(description__icontains=filters["q"])
        )
    if filters["sens"] in OfferNeed.Direction.values:
        found = found.filter(direction=filters["sens"])
    if filters["nature"] in OfferNeed.Kind.values:
        found = found.filter(kind=filters["nature"])
    context = {
        "filters": filters,
        "directions": OfferNeed.Direction.choices,
        "kinds": OfferNeed.Kind.choices,
    }
    return _paginate(
        request, found.order_by("-created_at", "-pk"), "directory/offer_need_list.html", context
    )


def _public_offer_need(pk):
    items = (
        OfferNeed.objects.public()
        .select_related("commune", "organisation", "person")
        .prefetch_related(_themes())
    )
    return get_object_or_404(items, pk=pk)


def _offer_need_context(request, item, contact_form=None) -> dict:
    relation = "need_matches" if item.direction == OfferNeed.Direction.OFFER else "offer_matches"
    other = "need" if item.direction == OfferNeed.Direction.OFFER else "offer"
    visible = OfferNeed.objects.public().current().values("pk")
    matches = (
        getattr(item, relation)
        .filter(**{f"{other}__in": visible})
        .select_related(f"{other}__organisation", f"{other}__person")
    )
    return {
        "item": item,
        "matches": [getattr(m, other) for m in matches[:10]],
        "contact_form": contact_form or ContactForm(request=request),
    }


@require_safe
def offer_need_detail(request, pk):
    item = _public_offer_need(pk)
    return render(request, "directory/offer_need_detail.html", _offer_need_context(request, item))


@require_POST
def offer_need_contact(request, pk):
    """Answer an offer or a need: the message goes to its owner, no address shown."""
    item = _public_offer_need(pk)
    if not services.contact_recipients(item):
        raise Http404
    return _relay(
        request,
        item,
        "directory/offer_need_detail.html",
        lambda form: _offer_need_context(request, item, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_need_publish(request):
    organisations = list(
        services.administered_by(request.user).filter(status=Status.PUBLISHED, is_hidden=False)
    )
    profile = PersonProfile.objects.public().filter(user=request.user).first()
    if not organisations and profile is None:
        return render(request, "directory/offer_need_nobody.html", status=403)
    form = OfferNeedForm(request.POST or None, organisations=organisations, profile=profile)
    if request.method == "POST" and form.is_valid():
        item = services.publish_offer_need(
            item=form.save(), themes=form.cleaned_data["themes"], by=request.user
        )
        messages.success(
            request,
            _(
                "C'est publié. Les propositions qui correspondent sont "
                "affichées ci-dessous, et leurs auteurs prévenus."
            ),
        )
        return redirect(item.get_absolute_url())
    return render(request, "directory/offer_need_form.html", {"form": form})


# --- facilitators --------------------------------------------------------------------------


@require_safe
def facilitator_list(request):
    """Who covers where: one row per facilitator with their territories."""
    areas = (
        FacilitatorArea.objects.filter(user__is_active=True, user__groups__name=Role.FACILITATOR)
        .select_related("user")
        .order_by("user__display_name", "user_id", "label")
    )
    people = {}
    for area in areas:
        people.setdefault(area.user, []).append(area)
    points = [
        {"lat": a.latitude, "lon": a.longitude, "label": f"{a.user.display_name} — {a.label}"}
        for a in areas
        if a.latitude is not None
    ]
    context = {
        "facilitators": people.items(),
        "points": points,
        "tile_url": settings.ESSAIM_TILE_URL,
    }
    return render(request, "directory/facilitator_list.html", context)


@require_http_methods(["GET", "POST"])
def facilitator_contact(request, pk):
    from essaim.accounts.models import User

    user = get_object_or_404(
        User.objects.filter(
            is_active=True, groups__name=Role.FACILITATOR, facilitator_areas__isnull=False
        ).distinct(),
        pk=pk,
    )
    form = ContactForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        services.send_facilitator_message(
            facilitator=user,
            sender=request.user,
            address_hash=address_hash(request),
            **form.message_fields(),
        )
        return render(request, "directory/contact_sent.html", {"target": user.display_name})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "directory/facilitator_contact.html",
        {"facilitator": user, "contact_form": form},
        status=status,
    )


@login_required
@require_safe
def my_territory(request):
    """A facilitator's dashboard: new initiatives, open needs, coming events of their areas."""
    if not services.is_facilitator(request.user):
        raise PermissionDenied
    return render(
        request,
        "directory/my_territory.html",
        services.territory_dashboard(user=request.user, now=timezone.now()),
    )


__all__ = ["Membership"]
