"""Writes of the directory that span models or have side effects (e-mails, moderation).

Keyword-only and typed. The organisations' lifecycle is moderation's
(``essaim.moderation.services``); e-mails go through ``essaim.common.mail`` and, when
they follow a write, through a task after commit.
"""

import functools
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from essaim.accounts.roles import Role, has_role, users_with_role
from essaim.common import geo
from essaim.common.mail import send_mail_template
from essaim.directory.models import (
    Claim,
    ContactLog,
    FacilitatorArea,
    Match,
    Membership,
    OfferNeed,
    Organisation,
    OrganisationLink,
    PersonProfile,
)
from essaim.moderation import services as moderation
from essaim.moderation.models import ModerationEvent, Status

# Paths under /annuaire/ that are pages, not organisations.
RESERVED_SLUGS = frozenset(
    {
        "proposer",
        "personnes",
        "offres-besoins",
        "animateurs",
        "mon-territoire",
        "revendications",
    }
)


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def unique_slug(model, name: str, *, fallback: str) -> str:
    base = slugify(name)[:100] or fallback
    slug, number = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _save_with_slug(obj, *, fallback: str) -> None:
    """Insert under a free slug, retrying with a random suffix on a concurrent clash."""
    obj.slug = obj.slug or unique_slug(type(obj), obj.name, fallback=fallback)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        obj.pk, obj.slug = None, f"{obj.slug[:100]}-{secrets.token_hex(3)}"
        obj.save()


# --- organisations -------------------------------------------------------------------------


def is_admin(user, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    return organisation.memberships.filter(user=user, role=Membership.Role.ADMIN).exists()


def set_member(*, organisation: Organisation, user, role: str) -> Membership:
    """Add ``user`` to ``organisation`` with ``role``, or change their role."""
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    return membership


def administered_by(user):
    """Organisations ``user`` administers (any state)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.ADMIN
    )


def propose_organisation(*, organisation: Organisation, themes, by) -> Organisation:
    """Save a new organisation as pending, its proposer as admin; mails moderators."""
    with transaction.atomic():
        organisation.status = Status.DRAFT
        _save_with_slug(organisation, fallback="organisation")
        organisation.themes.set(themes)
        Membership.objects.create(organisation=organisation, user=by, role=Membership.Role.ADMIN)
        moderation.submit(obj=organisation, by=by)
    return organisation


def edit_organisation(*, organisation: Organisation, changes: dict, by) -> str:
    """An admin's edit: a pending version if the organisation is published (moderators
    decide), applied at once otherwise. Returns "pending" or "saved"."""
    if organisation.status == Status.PUBLISHED:
        moderation.propose_edit(obj=organisation, changes=changes, by=by)
        return "pending"
    with transaction.atomic():
        for name, value in changes.items():
            if name == "themes":
                organisation.themes.set(value)
            else:
                setattr(organisation, name, value)
        organisation.save()
    return "saved"


def claim_organisation(*, organisation: Organisation, user, message: str) -> Claim:
    """Ask to administer ``organisation``; mails moderators. One open claim per person."""
    claim, created = Claim.objects.get_or_create(
        organisation=organisation,
        user=user,
        state=Claim.State.PENDING,
        defaults={"message": message},
    )
    if created:
        context = {"claim": claim, "url": absolute(reverse("directory:claims"))}
        emails = [u.email for u in users_with_role(Role.MODERATOR) if u.email]
        if emails:
            transaction.on_commit(
                lambda: send_mail_template("directory/email/claim.txt", context, to=emails)
            )
    return claim


def decide_claim(*, claim: Claim, by, approve: bool) -> Claim:
    """A moderator's decision; an approved claimant becomes an admin member. Mails them."""
    with transaction.atomic():
        claim.state = Claim.State.APPROVED if approve else Claim.State.REFUSED
        claim.decided_by, claim.decided_at = by, timezone.now()
        claim.save()
        if approve:
            Membership.objects.update_or_create(
                organisation=claim.organisation,
                user=claim.user,
                defaults={"role": Membership.Role.ADMIN},
            )
        moderation.record_event(
            obj=claim.organisation,
            action=ModerationEvent.Action.COMMENT,
            by=by,
            reason=f"claim {claim.state}: {claim.user}",
        )
    if claim.user.email:
        context = {"claim": claim, "url": absolute(claim.organisation.get_absolute_url())}
        send_mail_template("directory/email/claim_decided.txt", context, to=claim.user.email)
    return claim


def propose_link(*, source: Organisation, target: Organisation, kind: str, by):
    """A typed link from ``source`` (``by`` administers it), to be confirmed by the target's
    admins (mailed), or confirmed at once when ``by`` administers both."""
    link, _created = OrganisationLink.objects.get_or_create(
        source=source, target=target, kind=kind, defaults={"created_by": by}
    )
    if link.confirmed_at is None and is_admin(by, target):
        link.confirmed_at = timezone.now()
        link.save(update_fields=["confirmed_at"])
    elif link.confirmed_at is None:
        emails = admin_emails(target)
        context = {
            "link": link,
            "url": absolute(reverse("directory:links", kwargs={"slug": target.slug})),
        }
        if emails:
            send_mail_template("directory/email/link.txt", context, to=emails)
    return link


def confirm_link(*, link: OrganisationLink, by, accept: bool) -> None:
    if not is_admin(by, link.target):
        raise PermissionError("Only the target's admins confirm a link.")
    if accept:
        link.confirmed_at = timezone.now()
        link.save(update_fields=["confirmed_at"])
    else:
        link.delete()


def admin_emails(organisation: Organisation) -> list[str]:
    admins = organisation.memberships.filter(role=Membership.Role.ADMIN, user__is_active=True)
    return sorted({m.user.email for m in admins.select_related("user") if m.user.email})


def suggested_initiatives(organisation: Organisation):
    """Public initiatives sharing the organisation's SIRET or RNA, not linked yet."""
    from essaim.initiatives.models import Initiative

    keys = Q()
    if organisation.siret:
        keys |= Q(siret=organisation.siret)
    if organisation.rna:
        keys |= Q(rna=organisation.rna)
    if not keys:
        return Initiative.objects.none()
    linked = organisation.initiatives.values("pk")
    return Initiative.objects.public().filter(keys).exclude(pk__in=linked).order_by("name")[:10]


# --- contact -------------------------------------------------------------------------------


def contact_recipients(target) -> list[str]:
    """Where a relayed message goes (never shown): the organisation's address or its admins';
    a person's profile address or account address."""
    if isinstance(target, Organisation):
        return [target.email] if target.email else admin_emails(target)
    if isinstance(target, PersonProfile):
        address = target.email or target.user.email
        return [address] if address else []
    return contact_recipients(target.organisation or target.person)


TARGET_TYPES = {Organisation: "organisation", PersonProfile: "person", OfferNeed: "offer-need"}


def send_contact_message(
    *, target, name: str, email: str, message: str, sender=None, address_hash: str = ""
) -> int:
    """Relay a visitor's message by e-mail (reply-to the visitor) and log who wrote to whom
    (not the message)."""
    recipients = contact_recipients(target)
    if not recipients:
        return 0
    ContactLog.objects.create(
        target_type=TARGET_TYPES[type(target)],
        target_id=target.pk,
        sender=sender if sender is not None and sender.is_authenticated else None,
        sender_email=email,
        sender_name=name,
        address_hash=address_hash,
    )
    context = {
        "target": target,
        "name": name,
        "email": email,
        "message": message,
        "url": absolute(target.get_absolute_url()),
    }
    return send_mail_template("directory/email/contact.txt", context, to=recipients, reply_to=email)


def purge_contact_log(*, now=None) -> int:
    """Forget who wrote to whom after ESSAIM_DIRECTORY_CONTACT_LOG_DAYS."""
    now = now or timezone.now()
    limit = now - timezone.timedelta(days=settings.ESSAIM_DIRECTORY_CONTACT_LOG_DAYS)
    return ContactLog.objects.filter(created_at__lt=limit).delete()[0]


# --- people --------------------------------------------------------------------------------


def save_profile(*, profile: PersonProfile, user, themes=(), communes=(), departements=()):
    """Create or update ``user``'s profile; consent is dated when first given."""
    profile.user = user
    if profile.listed and profile.consented_at is None:
        profile.consented_at = timezone.now()
    if not profile.listed:
        profile.consented_at = None
    with transaction.atomic():
        if profile.pk is None:
            _save_with_slug(profile, fallback="personne")
        profile.themes.set(themes)
        profile.communes.set(communes)
        profile.departements.set(departements)
        profile.save()  # after the relations: the index reads them
    return profile


def delete_profile(*, user) -> bool:
    """Remove ``user``'s profile at once, with its offers and needs (and their index rows)."""
    profile = PersonProfile.objects.filter(user=user).first()
    if profile is None:
        return False
    profile.delete()
    return True


# --- offers and needs ----------------------------------------------------------------------


def publish_offer_need(*, item: OfferNeed, themes, by) -> OfferNeed:
    """Publish at once (moderated afterwards: reports hide it), record it in the history,
    then look for matches; the matched sides are mailed after commit."""
    with transaction.atomic():
        item.author, item.status = by, Status.PUBLISHED
        item.published_at = item.submitted_at = timezone.now()
        item.submitted_by = by
        item.save()
        item.themes.set(themes)
        item.save()
        moderation.record_event(
            obj=item,
            action=ModerationEvent.Action.PUBLISHED,
            by=by,
            reason="publication directe, modération a posteriori",
        )
        matches = record_matches(item)
    for match in matches:
        transaction.on_commit(functools.partial(_enqueue_match_notice, match.pk))
    return item


def _enqueue_match_notice(match_id: int) -> None:
    from essaim.directory import tasks

    tasks.notify_match.enqueue(match_id=match_id)


MIN_SCORE = 3
NEAR_KM, CLOSE_KM = 15, 50


def score(need: OfferNeed, offer: OfferNeed, *, need_themes=None, offer_themes=None) -> int:
    """How well ``offer`` answers ``need``: shared themes (2 each), same kind (3), same
    commune or département (2 / 1), distance (2 under NEAR_KM, 1 under CLOSE_KM)."""
    need_themes = set(
        need_themes if need_themes is not None else need.themes.values_list("pk", flat=True)
    )
    offer_themes = set(
        offer_themes if offer_themes is not None else offer.themes.values_list("pk", flat=True)
    )
    points = 2 * len(need_themes & offer_themes) + (3 if need.kind == offer.kind else 0)
    if need.commune_id and offer.commune_id:
        if need.commune_id == offer.commune_id:
            points += 2
        elif need.commune.departement_id == offer.commune.departement_id:
            points += 1
    a, b = need.point, offer.point
    if a and b:
        km = geo.distance_m(*a, *b) / 1000
        points += 2 if km <= NEAR_KM else 1 if km <= CLOSE_KM else 0
    return points


def candidates(item: OfferNeed) -> list[tuple[OfferNeed, int]]:
    """Public, current items of the other direction, best first, scored at least MIN_SCORE."""
    other = (
        OfferNeed.Direction.NEED
        if item.direction == OfferNeed.Direction.OFFER
        else OfferNeed.Direction.OFFER
    )
    themes = set(item.themes.values_list("pk", flat=True))
    pool = (
        OfferNeed.objects.public()
        .current()
        .filter(direction=other)
        .filter(Q(kind=item.kind) | Q(themes__in=themes))
        .distinct()
        .exclude(pk=item.pk)
        .select_related("commune", "organisation__commune", "person")
        .prefetch_related("themes")
    )
    if item.organisation_id:
        pool = pool.exclude(organisation_id=item.organisation_id)
    if item.person_id:
        pool = pool.exclude(person_id=item.person_id)
    scored = []
    for other_item in pool[:500]:
        other_themes = {t.pk for t in other_item.themes.all()}
        pair = (
            (item, other_item) if item.direction == OfferNeed.Direction.NEED else (other_item, item)
        )
        need_themes, offer_themes = (
            (themes, other_themes) if pair[0] is item else (other_themes, themes)
        )
        points = score(*pair, need_themes=need_themes, offer_themes=offer_themes)
        if points >= MIN_SCORE:
            scored.append((other_item, points))
    return sorted(scored, key=lambda pair: (-pair[1], pair[0].pk))


def record_matches(item: OfferNeed, *, limit: int = 5) -> list[Match]:
    """Store the best matches of a new item (at most ``limit``)."""
    made = []
    for other, points in candidates(item)[:limit]:
        need, offer = (item, other) if item.direction == OfferNeed.Direction.NEED else (other, item)
        match, created = Match.objects.get_or_create(
            need=need, offer=offer, defaults={"score": points}
        )
        if created:
            made.append(match)
    return made


def notify_match(*, match: Match) -> int:
    """Mail both sides of a match (once): each learns of the other's page, no address."""
    if match.notified_at is not None:
        return 0
    sent = 0
    for mine, theirs in ((match.need, match.offer), (match.offer, match.need)):
        recipients = contact_recipients(mine)
        if recipients:
            context = {"mine": mine, "theirs": theirs, "url": absolute(theirs.get_absolute_url())}
            sent += send_mail_template("directory/email/match.txt", context, to=recipients)
    match.notified_at = timezone.now()
    match.save(update_fields=["notified_at"])
    return sent


def can_post_for(user, organisation: Organisation | None) -> bool:
    return organisation is None or is_admin(user, organisation)


# --- facilitators --------------------------------------------------------------------------


def facilitators_of(territory):
    """Active facilitators whose areas contain ``territory``."""
    from essaim.accounts.models import User
    from essaim.territories.territory import covering_keys

    keys = covering_keys(territory)
    areas = FacilitatorArea.objects.filter(territory_key__in=keys).values("user_id")
    return (
        User.objects.filter(pk__in=areas, is_active=True, groups__name=Role.FACILITATOR)
        .distinct()
        .order_by("display_name", "pk")
    )


def area_filter(user, *, prefix: str = "commune") -> Q:
    """A Q keeping rows whose commune lies in one of ``user``'s areas (nothing if none)."""
    from essaim.territories.territory import commune_filter, find_territory

    condition = Q(pk__in=[])
    for area in FacilitatorArea.objects.filter(user=user):
        if territory := find_territory(area.territory_key):
            condition |= commune_filter(territory, prefix=prefix)
    return condition


def is_facilitator(user) -> bool:
    return has_role(user, Role.FACILITATOR)


def send_facilitator_message(
    *, facilitator, name: str, email: str, message: str, sender=None, address_hash: str = ""
) -> int:
    """Relay a message to a facilitator (address never shown); logged like the others."""
    ContactLog.objects.create(
        target_type="facilitator",
        target_id=facilitator.pk,
        sender=sender if sender is not None and sender.is_authenticated else None,
        sender_email=email,
        sender_name=name,
        address_hash=address_hash,
    )
    context = {
        "target": facilitator.display_name,
        "name": name,
        "email": email,
        "message": message,
        "url": absolute(reverse("directory:facilitators")),
    }
    return send_mail_template(
        "directory/email/contact.txt", context, to=facilitator.email, reply_to=email
    )


DASHBOARD_ITEMS = 20
NEW_DAYS = 60


def territory_dashboard(*, user, now) -> dict:
    """What a facilitator follows in their areas: new public initiatives (NEW_DAYS), open
    needs, coming events."""
    from essaim.agenda.models import Event
    from essaim.initiatives.models import Initiative

    in_area = area_filter(user)
    since = now - timezone.timedelta(days=NEW_DAYS)
    initiatives = (
        Initiative.objects.public()
        .filter(in_area, published_at__gte=since)
        .select_related("commune")
        .order_by("-published_at")[:DASHBOARD_ITEMS]
    )
    needs = (
        OfferNeed.objects.public()
        .current()
        .filter(in_area, direction=OfferNeed.Direction.NEED)
        .select_related("commune", "organisation", "person")[:DASHBOARD_ITEMS]
    )
    events = (
        Event.objects.public()
        .filter(in_area, end__gte=now)
        .select_related("commune")
        .order_by("start")[:DASHBOARD_ITEMS]
    )
    areas = FacilitatorArea.objects.filter(user=user).order_by("label")
    return {"areas": areas, "initiatives": initiatives, "needs": needs, "events": events}
