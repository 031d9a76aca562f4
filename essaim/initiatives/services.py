"""Writes on initiatives that span models or have side effects (e-mails, moderation).

Keyword-only and typed. The lifecycle itself (pending → published…) is moderation's:
these functions call ``essaim.moderation.services``.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.text import slugify

from essaim.accounts.roles import Role, has_role, users_with_role
from essaim.common.mail import send_mail_template, send_to_each
from essaim.initiatives.models import ConfirmationReminder, Initiative, Vote
from essaim.initiatives.signals import initiatives_changed
from essaim.moderation import services as moderation
from essaim.moderation.models import ModerationEvent, Status

PENDING_TOO_LONG = "pending_too_long"
SLUG_ATTEMPTS = 5  # a slug clash at insert time (concurrent proposals) is retried


class VoteNotAllowed(Exception):
    """This person may not vote on this initiative (not a member, own item, not pending)."""


# --- signed links ------------------------------------------------------------------------


def link_key(initiative: Initiative, *, purpose: str = "edit") -> str:
    """The ``cle`` of the owner's links, signed with the initiative's own edit secret."""
    salt = f"essaim.initiatives.{purpose}"
    return salted_hmac(salt, str(initiative.pk), secret=initiative.edit_secret).hexdigest()[:40]


def key_is_valid(initiative: Initiative, key: str, *, purpose: str = "edit") -> bool:
    return bool(key) and constant_time_compare(key, link_key(initiative, purpose=purpose))


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def edit_url(initiative: Initiative) -> str:
    path = reverse("initiatives:edit", kwargs={"slug": initiative.slug})
    return absolute(f"{path}?cle={link_key(initiative)}")


def confirm_url(initiative: Initiative) -> str:
    path = reverse("initiatives:confirm", kwargs={"slug": initiative.slug})
    return absolute(f"{path}?cle={link_key(initiative, purpose='confirm')}")


def owner_email(initiative: Initiative) -> str:
    """Where owner mail goes: the owner's account, else whoever proposed it."""
    if initiative.owner_id and initiative.owner.email:
        return initiative.owner.email
    return initiative.contributor_email


def is_owner(user, initiative: Initiative) -> bool:
    if not user.is_authenticated:
        return False
    return user.pk in (initiative.owner_id, initiative.submitted_by_id)


# --- proposing and editing ---------------------------------------------------------------


# Paths under /initiatives/ that are pages, not initiatives.
RESERVED_SLUGS = frozenset({"proposer", "a-valider"})


def unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "initiative"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Initiative.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _save_with_unique_slug(initiative: Initiative) -> None:
    """Insert under a free slug: two proposals with one name may race for it, so a clash
    at insert time is retried with a random suffix."""
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                initiative.save()
            return
        except IntegrityError:
            taken = Initiative.objects.filter(slug=initiative.slug).exists()
            if attempt == SLUG_ATTEMPTS - 1 or not taken:
                raise
            initiative.pk = None
            base = slugify(initiative.name)[:190] or "initiative"
            initiative.slug = f"{base}-{secrets.token_hex(3)}"


def propose_initiative(
    *, initiative: Initiative, themes, by=None, email: str = "", address_hash: str = ""
) -> Initiative:
    """Save a new initiative as pending; mails moderators, and the owner their edit link.

    ``address_hash``: the proposer's hashed address (``AntiSpamFormMixin.address_hash``).
    """
    initiative.slug = initiative.slug or unique_slug(initiative.name)
    if by is not None and by.is_authenticated:
        initiative.owner = by
    with transaction.atomic():
        initiative.status = Status.DRAFT
        _save_with_unique_slug(initiative)
        initiative.themes.set(themes)
        moderation.submit(obj=initiative, by=by, email=email, address_hash=address_hash)
    transaction.on_commit(lambda: _enqueue_edit_link(initiative.pk))
    return initiative


def _enqueue_edit_link(initiative_id: int) -> None:
    from essaim.initiatives import tasks

    tasks.send_edit_link.enqueue(initiative_id=initiative_id)


def send_edit_link(*, initiative: Initiative) -> int:
    """Mail the owner the secret link that lets them edit their initiative."""
    email = owner_email(initiative)
    if not email:
        return 0
    context = {"initiative": initiative, "edit_url": edit_url(initiative),
               "published": initiative.status == Status.PUBLISHED}  # fmt: skip
    return send_mail_template("initiatives/email/edit_link.txt", context, to=email)


def edit_initiative(*, initiative: Initiative, changes: dict, by=None, email: str = "") -> str:
    """Apply an owner's edit: "updated" in place while pending, else "proposed" for review.

    ``changes`` maps moderated field names to model values (themes: a list of Theme).
    """
    if initiative.status == Status.PENDING:
        _apply(initiative, changes)
        return "updated"
    moderation.propose_edit(obj=initiative, changes=changes, by=by, email=email)
    return "proposed"


def _apply(initiative: Initiative, changes: dict) -> None:
    themes = changes.pop("themes", None)
    for name, value in changes.items():
        setattr(initiative, name, value)
    with transaction.atomic():
        initiative.save()
        if themes is not None:
            initiative.themes.set(themes)


# --- contact -------------------------------------------------------------------------------


def send_contact_message(*, initiative: Initiative, name: str, email: str, message: str) -> int:
    """Relay a visitor's message to the initiative's address (never shown), reply-to the visitor."""
    if not initiative.email:
        return 0
    context = {"initiative": initiative, "name": name, "email": email, "message": message,
               "url": absolute(initiative.get_absolute_url())}  # fmt: skip
    return send_mail_template("initiatives/email/contact.txt", context,
                              to=initiative.email, reply_to=email)  # fmt: skip


# --- duplicates ------------------------------------------------------------------------------


def merge_initiatives(*, keep: Initiative, duplicate: Initiative, by) -> Initiative:
    """Fill ``keep``'s empty fields from ``duplicate``, then withdraw ``duplicate``.

    A published duplicate is archived, a pending one refused, both with the reason
    "fusionnée dans …"; sends initiatives_changed for both.
    """
    if keep.pk == duplicate.pk:
        raise ValueError("An initiative cannot be merged into itself.")
    reason = f"Fusionnée dans « {keep.name} » (n° {keep.pk})."
    with transaction.atomic():
        filled = _fill_empty_fields(keep, duplicate)
        withdraw = moderation.archive if duplicate.status == Status.PUBLISHED else moderation.reject
        withdraw(obj=duplicate, by=by, reason=reason)
        moderation.record_event(obj=keep, action=ModerationEvent.Action.COMMENT, by=by,
                                reason=f"A absorbé « {duplicate.name} » (n° {duplicate.pk}).",
                                data={"merged": duplicate.pk, "fields": filled})  # fmt: skip
    initiatives_changed.send(sender=Initiative, ids=[keep.pk, duplicate.pk])
    return keep


def _fill_empty_fields(keep: Initiative, duplicate: Initiative) -> list[str]:
    filled = []
    for name in keep.moderated_fields:
        field = keep._meta.get_field(name)
        if field.many_to_many:
            if not getattr(keep, name).exists() and getattr(duplicate, name).exists():
                getattr(keep, name).set(getattr(duplicate, name).all())
                filled.append(name)
        elif getattr(keep, field.attname) in (None, "", []) and getattr(
            duplicate, field.attname
        ) not in (None, "", []):
            setattr(keep, field.attname, getattr(duplicate, field.attname))
            filled.append(name)
    keep.save()
    return filled


# --- collaborative validation ----------------------------------------------------------


def can_vote(user, initiative: Initiative) -> bool:
    """Members and facilitators, on pending initiatives they did not propose."""
    voter_role = has_role(user, Role.MEMBER) or has_role(user, Role.FACILITATOR)
    return voter_role and initiative.status == Status.PENDING and not is_owner(user, initiative)


def cast_vote(*, initiative: Initiative, voter, approve: bool) -> Vote:
    """Record (or change) ``voter``'s vote; publishes or refuses once the votes decide."""
    if not can_vote(voter, initiative):
        raise VoteNotAllowed(f"{voter} may not vote on initiative {initiative.pk}.")
    vote, _created = Vote.objects.update_or_create(
        initiative=initiative, voter=voter, defaults={"approve": approve}
    )
    decide_by_votes(initiative=initiative)
    return vote


def votes_decision(*, approvals: int, oppositions: int, old_enough: bool) -> bool | None:
    """True to publish, False to refuse, None while the votes do not decide."""
    if approvals >= settings.ESSAIM_VOTES_TO_FORCE > oppositions:
        return True
    if oppositions >= settings.ESSAIM_VOTES_TO_FORCE > approvals:
        return False
    if not old_enough:
        return None
    if approvals >= settings.ESSAIM_VOTES_TO_DECIDE and oppositions == 0:
        return True
    if oppositions >= settings.ESSAIM_VOTES_TO_DECIDE and approvals == 0:
        return False
    return None


def decide_by_votes(*, initiative: Initiative, now: datetime | None = None) -> bool | None:
    """Publish or refuse a pending initiative when its votes say so; returns the decision."""
    if initiative.status != Status.PENDING:
        return None
    with transaction.atomic():
        # Concurrent votes may each reach the threshold: decide once, on the locked row
        # (on SQLite the IMMEDIATE transaction already holds the write lock).
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        decision = _decision(locked, now)
    if decision is not None:
        initiative.refresh_from_db()
    return decision


def _decision(initiative: Initiative, now: datetime | None) -> bool | None:
    if initiative.status != Status.PENDING:
        return None
    approvals, oppositions = initiative.votes.tally()
    since = (now or timezone.now()) - timedelta(days=settings.ESSAIM_VOTES_MIN_DAYS)
    old_enough = initiative.submitted_at is not None and initiative.submitted_at <= since
    decision = votes_decision(approvals=approvals, oppositions=oppositions, old_enough=old_enough)
    if decision is True:
        reason = f"Validée par les votes des membres ({approvals} pour)."
        moderation.publish(obj=initiative, by=None, reason=reason)
    elif decision is False:
        reason = f"Invalidée par les votes des membres ({oppositions} contre)."
        moderation.reject(obj=initiative, by=None, reason=reason)
    return decision


def review_pending_initiatives(*, now: datetime | None = None) -> dict[str, int]:
    """Daily: let votes decide where the delay has passed; alert moderators of old items."""
    now = now or timezone.now()
    decided = 0
    for initiative in Initiative.objects.pending().filter(votes__isnull=False).distinct():
        decided += decide_by_votes(initiative=initiative, now=now) is not None
    return {"decided": decided, "flagged": flag_long_pending(now=now)}


def flag_long_pending(*, now: datetime | None = None) -> int:
    """Mark in their history, and mail moderators about, items pending for too long (once)."""
    since = (now or timezone.now()) - timedelta(days=settings.ESSAIM_PENDING_ALERT_DAYS)
    flagged_ids = ModerationEvent.objects.filter(
        content_type__app_label="initiatives", data__flag=PENDING_TOO_LONG
    ).values_list("object_id", flat=True)
    old = Initiative.objects.pending().filter(submitted_at__lte=since)
    fresh = list(old.exclude(pk__in=[int(pk) for pk in flagged_ids]))
    for initiative in fresh:
        moderation.record_event(obj=initiative, action=ModerationEvent.Action.COMMENT,
                                reason="En attente depuis plus de "
                                       f"{settings.ESSAIM_PENDING_ALERT_DAYS} jours.",
                                data={"flag": PENDING_TOO_LONG})  # fmt: skip
    if fresh:
        _mail_moderators("moderators_pending_too_long", {"initiatives": fresh})
    return len(fresh)


def _mail_moderators(name: str, context: dict) -> int:
    recipients = users_with_role(Role.MODERATOR).exclude(email="").values_list("email", flat=True)
    context = {"base_url": absolute(""), **context}
    return send_to_each(f"initiatives/email/{name}.txt", context, recipients)


# --- yearly "still up to date?" --------------------------------------------------------


def due_for_confirmation(*, now: datetime | None = None):
    """Public initiatives unconfirmed for a year, with no reminder sent within a year."""
    since = (now or timezone.now()) - timedelta(days=settings.ESSAIM_CONFIRM_AFTER_DAYS)
    unconfirmed = Q(last_confirmed_at__lte=since) | Q(
        last_confirmed_at__isnull=True, published_at__lte=since
    )
    recent = ConfirmationReminder.objects.filter(sent_at__gt=since).values("initiative_id")
    return (
        Initiative.objects.public()
        .filter(unconfirmed)
        .exclude(pk__in=recent)
        .select_related("owner", "submitted_by")
    )


def send_confirmation_reminders(*, now: datetime | None = None) -> int:
    """Mail each due owner a one-click "still up to date" link and the edit link; idempotent."""
    now = now or timezone.now()
    sent = 0
    for initiative in due_for_confirmation(now=now):
        email = owner_email(initiative)
        if not email:
            continue
        context = {"initiative": initiative, "confirm_url": confirm_url(initiative),
                   "edit_url": edit_url(initiative)}  # fmt: skip
        sent += send_mail_template("initiatives/email/still_up_to_date.txt", context, to=email)
        ConfirmationReminder.objects.create(initiative=initiative, sent_at=now)
    return sent


def confirm_initiative(*, initiative: Initiative) -> None:
    """The owner says the information is still right."""
    initiative.last_confirmed_at = timezone.now()
    initiative.save(update_fields=["last_confirmed_at"])
