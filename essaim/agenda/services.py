"""Writes on events that span models or have side effects (e-mails, moderation).

Keyword-only and typed. The lifecycle itself (pending → published…) is moderation's: these
functions call ``essaim.moderation.services``. Occurrences follow by themselves
(``recurrence`` syncs them on every save).
"""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.text import slugify

from essaim.accounts.roles import Role, has_role
from essaim.agenda import recurrence
from essaim.agenda.models import Event, EventChange
from essaim.common.mail import send_mail_template
from essaim.moderation import services as moderation
from essaim.moderation.models import ModerationEvent, Status

# Paths under /agenda/ that are pages, not events.
RESERVED_SLUGS = frozenset({"proposer", "embed", "widget"})
SLUG_ATTEMPTS = 5
# A change of any of these must reach calendar clients: RFC 5545 SEQUENCE goes up.
SEQUENCE_FIELDS = ("start", "end", "all_day", "timezone", "rrule", "exdates", "event_status")


# --- who may publish directly ----------------------------------------------------------------


def is_trusted(user) -> bool:
    """Trusted organisers publish without review: moderators and editors (and admins).

    There is no per-organisation trust flag yet; when the directory links events to
    organisations, a trusted organisation's members will be added here.
    """
    return has_role(user, Role.MODERATOR) or has_role(user, Role.EDITOR)


def is_owner(user, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    return user.pk in (event.owner_id, event.submitted_by_id)


# --- signed links --------------------------------------------------------------------------


def link_key(event: Event) -> str:
    """The ``cle`` of the owner's edit link, signed with the event's own edit secret."""
    signed = salted_hmac("essaim.agenda.edit", str(event.pk), secret=event.edit_secret)
    return signed.hexdigest()[:40]


def key_is_valid(event: Event, key: str) -> bool:
    return bool(key) and constant_time_compare(key, link_key(event))


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def edit_url(event: Event) -> str:
    path = reverse("agenda:edit", kwargs={"slug": event.slug})
    return absolute(f"{path}?cle={link_key(event)}")


def owner_email(event: Event) -> str:
    if event.owner_id and event.owner.email:
        return event.owner.email
    return event.contributor_email


# --- slugs -------------------------------------------------------------------------------------


def slug_base(title: str) -> str:
    return slugify(title)[:140].strip("-") or "evenement"


def unique_slug(title: str) -> str:
    base = slug_base(title)
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def save_with_unique_slug(event: Event) -> Event:
    """Insert ``event`` under a free slug; two proposals with one title may race for it, so
    a clash at insert time is retried with a random suffix (the UID is unique too, and
    fresh on every try)."""
    event.slug = event.slug or unique_slug(event.title)
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                event.save()
            return event
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS - 1 or not Event.objects.filter(slug=event.slug).exists():
                raise
            event.pk = None
            event.slug = f"{slug_base(event.title)[:130]}-{secrets.token_hex(3)}"
    raise AssertionError("unreachable")


# --- proposing and editing -----------------------------------------------------------------


def propose_event(*, data: dict, author=None, email: str = "", address_hash: str = "") -> Event:
    """Save a new event: published if ``author`` is trusted, else pending for moderation.

    ``address_hash``: the proposer's hashed address (``AntiSpamFormMixin.address_hash``).

    ``data`` maps Event fields to model values (``themes``: a list of Theme). Mails
    moderators (pending), and the owner their edit link, once committed.
    """
    data = dict(data)
    themes = data.pop("themes", [])
    event = Event(**data)
    signed_in = author is not None and author.is_authenticated
    if signed_in:
        event.owner = author
    with transaction.atomic():
        event.status = Status.DRAFT
        save_with_unique_slug(event)
        event.themes.set(themes)
        if signed_in and is_trusted(author):
            event.submitted_by = author
            moderation.publish(obj=event, by=author, reason="Organisateur de confiance.")
        else:
            moderation.submit(obj=event, by=author, email=email, address_hash=address_hash)
    transaction.on_commit(lambda: send_edit_link(event=event))
    return event


def send_edit_link(*, event: Event) -> int:
    """Mail the owner the secret link that lets them edit their event."""
    address = owner_email(event)
    if not address:
        return 0
    context = {"event": event, "edit_url": edit_url(event),
               "published": event.status == Status.PUBLISHED}  # fmt: skip
    return send_mail_template("agenda/email/edit_link.txt", context, to=address)


def edit_event(*, event: Event, changes: dict, by=None, email: str = "") -> str:
    """Apply an owner's edit; returns what happened.

    "updated": applied in place (a pending event, or a trusted editor); "proposed": kept as
    a pending version for moderators (a published event). ``changes`` maps moderated
    fields to model values (themes: a list of Theme). InvalidEdit if nothing changes.
    """
    signed_in = by is not None and by.is_authenticated
    if event.status == Status.PENDING or (signed_in and is_trusted(by)):
        _apply(event, changes)
        if event.status == Status.PUBLISHED:
            reason = "Modifié directement par un organisateur de confiance."
            moderation.record_event(obj=event, action=ModerationEvent.Action.COMMENT, by=by,
                                    reason=reason)  # fmt: skip
        return "updated"
    moderation.propose_edit(obj=event, changes=changes, by=by, email=email)
    return "proposed"


def _apply(event: Event, changes: dict) -> None:
    changes = dict(changes)
    themes = changes.pop("themes", None)
    for name, value in changes.items():
        setattr(event, name, value)
    with transaction.atomic():
        event.save()
        if themes is not None:
            event.themes.set(themes)


# --- SEQUENCE (RFC 5545 §3.8.7.4) ---------------------------------------------------------------


def bump_sequence(sender, instance: Event, raw=False, update_fields=None, **kwargs) -> None:
    """Before an event is saved: if its times or status changed, calendars must update.

    A pre_save hook rather than a service step, because moderators' accepted versions and
    imports save events through other code paths.
    """
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(SEQUENCE_FIELDS):
        return
    before = Event.objects.filter(pk=instance.pk).values("sequence", *SEQUENCE_FIELDS).first()
    if before and any(before[name] != getattr(instance, name) for name in SEQUENCE_FIELDS):
        instance.sequence = before["sequence"] + 1
        if update_fields is not None and "sequence" not in update_fields:
            Event.objects.filter(pk=instance.pk).update(sequence=instance.sequence)


def _change_written(sender, instance: EventChange, raw=False, **kwargs) -> None:
    # A moved or cancelled date changes what clients show for the whole series. Bulk
    # writers (imports) run deferred and bump the series' sequence once themselves.
    if not raw and not recurrence.is_deferred():
        Event.objects.filter(pk=instance.event_id).update(sequence=F("sequence") + 1)


def connect_signals() -> None:
    pre_save.connect(bump_sequence, sender=Event, dispatch_uid="agenda_bump_sequence")
    post_save.connect(_change_written, sender=EventChange, dispatch_uid="agenda_change_seq")
    post_delete.connect(_change_written, sender=EventChange, dispatch_uid="agenda_change_del")
