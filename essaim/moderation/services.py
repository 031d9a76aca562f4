"""Every change of a moderated item's lifecycle, each recorded in its history atomically.

All functions are keyword-only. ``by`` is the acting user (None = anonymous). E-mails are
sent by background tasks once the transaction commits.
"""

import json
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from essaim.moderation import registry
from essaim.moderation.exceptions import (
    AlreadyReported,
    InvalidEdit,
    ReasonRequired,
    TransitionNotAllowed,
)
from essaim.moderation.models import (
    BlockedAddress,
    Moderated,
    ModerationEvent,
    PendingVersion,
    Report,
    Status,
    field_value,
    get_moderated_field,
)

Action = ModerationEvent.Action


def record_event(
    *, obj, action: str, by=None, reason: str = "", data: dict | None = None
) -> ModerationEvent:
    """Append one entry to ``obj``'s history."""
    return ModerationEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        action=action,
        actor=by if by is not None and by.is_authenticated else None,
        reason=reason,
        data=data or {},
    )


def comment(*, obj, by, text: str) -> ModerationEvent:
    """A moderators' note in the history; changes nothing else."""
    return record_event(obj=obj, action=Action.COMMENT, by=by, reason=text)


# --- lifecycle ---------------------------------------------------------------------------


def submit(*, obj: Moderated, by=None, email: str = "", address_hash: str = "") -> ModerationEvent:
    """Queue a draft (or a refused item) for moderation; saves ``obj``; mails moderators.

    ``address_hash`` (``antispam.address_hash(request)``, never a raw IP) is kept with the
    history so that moderators can block the address and refuse all it sent.
    """
    obj.status = obj.check_transition("submit")
    obj.submitted_at = timezone.now()
    if by is not None and by.is_authenticated:
        obj.submitted_by = by
    obj.submitter_email = email or obj.submitter_email
    with transaction.atomic():
        obj.save()
        event = record_event(obj=obj, action=Action.SUBMITTED, by=by)
        if address_hash:
            event.address_hash = address_hash
            event.save(update_fields=["address_hash"])
    _notify_moderators(obj, kind="pending")
    return event


def publish(*, obj: Moderated, by, reason: str = "") -> ModerationEvent:
    """Make ``obj`` public; tells the contributor."""
    with transaction.atomic():
        event = _transition(obj, "publish", by=by, reason=reason, action=Action.PUBLISHED)
    _notify_contributor(event)
    return event


def reject(*, obj: Moderated, by, reason: str) -> ModerationEvent:
    """Refuse ``obj`` with a reason; upholds its open reports; tells the contributor why."""
    _require(reason)
    with transaction.atomic():
        event = _transition(obj, "reject", by=by, reason=reason, action=Action.REJECTED)
        _close_reports(obj, state=Report.State.UPHELD)
    _notify_contributor(event)
    return event


def reject_many(*, objects: Iterable[Moderated], by, reason: str) -> int:
    """Refuse several items at once (spam waves); skips those that cannot be refused."""
    _require(reason)
    refused = 0
    for obj in objects:
        if obj.can("reject"):
            reject(obj=obj, by=by, reason=reason)
            refused += 1
    return refused


def archive(*, obj: Moderated, by, reason: str = "") -> ModerationEvent:
    """Withdraw a published item from public view, keeping it; upholds its open reports."""
    with transaction.atomic():
        event = _transition(obj, "archive", by=by, reason=reason, action=Action.ARCHIVED)
        _close_reports(obj, state=Report.State.UPHELD)
    return event


def restore(*, obj: Moderated, by, reason: str = "") -> ModerationEvent:
    """Publish an archived item again."""
    with transaction.atomic():
        return _transition(obj, "restore", by=by, reason=reason, action=Action.RESTORED)


def _transition(obj, transition: str, *, by, reason: str, action: str) -> ModerationEvent:
    now = timezone.now()
    obj.status = obj.check_transition(transition)
    obj.last_moderated_at = now
    if obj.status == Status.PUBLISHED and obj.published_at is None:
        obj.published_at = now
    # A decision ends the review that the reports asked for.
    obj.is_hidden, obj.hidden_at = False, None
    obj.save(update_fields=["status", "last_moderated_at", "published_at", "is_hidden",
                            "hidden_at"])  # fmt: skip
    return record_event(obj=obj, action=action, by=by, reason=reason)


def _require(reason: str) -> None:
    if not (reason or "").strip():
        raise ReasonRequired("A reason is required: the contributor will receive it.")


# --- reports -----------------------------------------------------------------------------


def reporter_key(*, user=None, address_hash: str = "") -> str:
    """Who reports, for the one-open-report rule: the account, else the hashed address."""
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    if not address_hash:
        raise ValueError("An anonymous report needs the reporter's hashed address.")
    return f"addr:{address_hash}"


def report(
    *, obj: Moderated, reason: str, comment: str = "", by=None, address_hash: str = ""
) -> Report:
    """Record a visitor's report; past the threshold the item is hidden and moderators mailed.

    ``address_hash`` comes from ``antispam.address_hash(request)``; never pass a raw IP.
    """
    if not obj.is_public:
        raise TransitionNotAllowed("Only publicly visible items can be reported.")
    key = reporter_key(user=by, address_hash=address_hash)
    try:
        with transaction.atomic():
            new = _create_report(obj, reason=reason, comment=comment, by=by, key=key)
            hidden = _hide_if_reported_enough(obj)
    except IntegrityError:
        raise AlreadyReported("This reporter already has an open report on this item.") from None
    if hidden:
        _notify_moderators(obj, kind="hidden")
    return new


def _create_report(obj, *, reason, comment, by, key) -> Report:
    if Report.for_object(obj).filter(state=Report.State.OPEN, reporter_key=key).exists():
        raise AlreadyReported("This reporter already has an open report on this item.")
    new = Report.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        reason=reason,
        comment=comment,
        reporter=by if by is not None and by.is_authenticated else None,
        reporter_key=key,
    )
    record_event(obj=obj, action=Action.REPORTED, by=by, reason=comment,
                 data={"report": new.pk, "reason": reason})  # fmt: skip
    return new


def _hide_if_reported_enough(obj) -> bool:
    open_reports = Report.for_object(obj).filter(state=Report.State.OPEN)
    reporters = open_reports.values("reporter_key").distinct().count()
    if obj.is_hidden or reporters < settings.ESSAIM_REPORTS_BEFORE_HIDING:
        return False
    obj.is_hidden, obj.hidden_at = True, timezone.now()
    obj.save(update_fields=["is_hidden", "hidden_at"])
    record_event(obj=obj, action=Action.HIDDEN, data={"open_reports": reporters})
    return True


def dismiss_reports(*, obj: Moderated, by, reason: str = "") -> ModerationEvent:
    """The reports were unfounded: close them and show the item again."""
    with transaction.atomic():
        count = _close_reports(obj, state=Report.State.DISMISSED)
        obj.is_hidden, obj.hidden_at, obj.last_moderated_at = False, None, timezone.now()
        obj.save(update_fields=["is_hidden", "hidden_at", "last_moderated_at"])
        return record_event(obj=obj, action=Action.REPORTS_DISMISSED, by=by, reason=reason,
                            data={"reports": count})  # fmt: skip


def _close_reports(obj, *, state: str) -> int:
    open_reports = Report.for_object(obj).filter(state=Report.State.OPEN)
    return open_reports.update(state=state, resolved_at=timezone.now())


# --- removal (account deletion) -----------------------------------------------------------


def delete_items(queryset) -> int:
    """Delete moderated items with their history, reports and pending versions (generic
    relations do not cascade). Returns how many items were deleted."""
    pks = [str(pk) for pk in queryset.values_list("pk", flat=True)]
    if not pks:
        return 0
    ct = ContentType.objects.get_for_model(queryset.model)
    for model in (ModerationEvent, Report, PendingVersion):
        model.objects.filter(content_type=ct, object_id__in=pks).delete()
    return (
        queryset.model._default_manager.filter(pk__in=pks)
        .delete()[1]
        .get(queryset.model._meta.label, 0)
    )


def remove_contributions(user) -> int:
    """Account deletion, "remove my contributions": the edits they proposed still pending."""
    pending = PendingVersion.objects.filter(author=user, state=PendingVersion.State.PENDING)
    return pending.delete()[0]


# --- blocked addresses -------------------------------------------------------------------


def submission_address(obj) -> str:
    """The hashed address ``obj`` was last submitted from, or "" (signed-in, or purged)."""
    event = (
        ModerationEvent.for_object(obj)
        .filter(action=Action.SUBMITTED)
        .exclude(address_hash="")
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.address_hash if event else ""


def pending_from(hashes: Iterable[str]) -> list[Moderated]:
    """Every registered item still pending whose submission came from one of ``hashes``."""
    events = ModerationEvent.objects.filter(action=Action.SUBMITTED, address_hash__in=set(hashes))
    ids: dict[int, set[str]] = {}
    for ct_id, object_id in events.values_list("content_type_id", "object_id"):
        ids.setdefault(ct_id, set()).add(object_id)
    found = []
    for ct_id, object_ids in ids.items():
        entry = registry.for_model(ContentType.objects.get_for_id(ct_id).model_class())
        if entry is not None:
            found += entry.queryset().pending().filter(pk__in=object_ids).order_by("pk")
    return found


def block_addresses(*, hashes: Iterable[str], by, reason: str, expires_at=None) -> tuple[int, int]:
    """Block the hashed addresses and refuse every pending item they sent, with ``reason``.

    Returns (addresses blocked, items refused). Atomic: all or nothing.
    """
    _require(reason)
    hashes = sorted({h for h in hashes if h})
    with transaction.atomic():
        for address in hashes:
            BlockedAddress.objects.update_or_create(
                address_hash=address,
                defaults={"reason": reason, "blocked_by": by if by.is_authenticated else None,
                          "expires_at": expires_at},
            )  # fmt: skip
        refused = reject_many(objects=pending_from(hashes), by=by, reason=reason)
    return len(hashes), refused


def is_blocked(address_hash: str) -> bool:
    return BlockedAddress.objects.active().filter(address_hash=address_hash).exists()


ERASED_REPORTER = "addr:effacée"  # a closed report's key once its address hash is forgotten


def purge_address_hashes(*, now=None) -> dict[str, int]:
    """Forget hashed addresses older than ESSAIM_ADDRESS_HASH_DAYS (submissions, closed
    reports) and delete expired blocks. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ESSAIM_ADDRESS_HASH_DAYS)
    events = ModerationEvent.objects.exclude(address_hash="").filter(created_at__lt=cutoff)
    reports = Report.objects.filter(reporter_key__startswith="addr:", created_at__lt=cutoff)
    reports = reports.exclude(state=Report.State.OPEN).exclude(reporter_key=ERASED_REPORTER)
    expired = BlockedAddress.objects.filter(expires_at__lte=now)
    return {
        "submissions": events.update(address_hash=""),
        "reports": reports.update(reporter_key=ERASED_REPORTER),
        "blocks": expired.delete()[0],
    }


# --- pending versions --------------------------------------------------------------------


def propose_edit(*, obj: Moderated, changes: dict, by=None, email: str = "") -> PendingVersion:
    """Keep changes to a published item aside for moderation; mails moderators.

    ``changes`` maps field names of ``obj.moderated_fields`` to new values (model values:
    instances or pks for relations, lists of them for many-to-many). Unchanged values
    are dropped; InvalidEdit if nothing remains or a field is not moderated.
    """
    if obj.status != Status.PUBLISHED:
        raise TransitionNotAllowed("Only published items take pending versions.")
    proposed = _changed_values(obj, changes)
    if not proposed:
        raise InvalidEdit("The proposed version changes nothing.")
    with transaction.atomic():
        version = PendingVersion.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            changes=proposed,
            author=by if by is not None and by.is_authenticated else None,
            author_email=email,
        )
        record_event(obj=obj, action=Action.EDIT_PROPOSED, by=by,
                     data={"version": version.pk, "fields": sorted(proposed)})  # fmt: skip
    _notify_moderators(obj, kind="edit")
    return version


def _changed_values(obj, changes: dict) -> dict:
    proposed = {}
    for name, value in changes.items():
        try:
            field = get_moderated_field(type(obj), name)
        except Exception as exc:
            raise InvalidEdit(str(exc)) from None
        new = _as_json(field, value)
        if new != field_value(obj, field):
            proposed[name] = new
    return proposed


def _as_json(field, value):
    """The form ``field_value`` would give ``value`` once stored."""
    if field.many_to_many:
        return sorted(getattr(v, "pk", v) for v in value)
    if field.is_relation:
        return getattr(value, "pk", value)
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or ""
    return json.loads(json.dumps(field.to_python(value), cls=DjangoJSONEncoder))


def accept_edit(*, version: PendingVersion, by, reason: str = "") -> ModerationEvent:
    """Apply a pending version to its published item; tells its author."""
    obj = _pending_target(version)
    with transaction.atomic():
        version.apply_to(obj)
        _decide(version, PendingVersion.State.ACCEPTED)
        event = record_event(obj=obj, action=Action.EDIT_ACCEPTED, by=by, reason=reason,
                             data={"version": version.pk})  # fmt: skip
    _notify_contributor(event)
    return event


def reject_edit(*, version: PendingVersion, by, reason: str) -> ModerationEvent:
    """Discard a pending version, keeping the published item as it is; tells its author why."""
    _require(reason)
    obj = _pending_target(version)
    with transaction.atomic():
        _decide(version, PendingVersion.State.REJECTED)
        event = record_event(obj=obj, action=Action.EDIT_REJECTED, by=by, reason=reason,
                             data={"version": version.pk})  # fmt: skip
    _notify_contributor(event)
    return event


def _pending_target(version: PendingVersion):
    if version.state != PendingVersion.State.PENDING:
        raise TransitionNotAllowed("This version has already been decided.")
    return version.content_object


def _decide(version: PendingVersion, state: str) -> None:
    version.state, version.decided_at = state, timezone.now()
    version.save(update_fields=["state", "decided_at"])


# --- notifications (after commit, through background tasks) ------------------------------


def _notify_moderators(obj, *, kind: str) -> None:
    from essaim.moderation import tasks

    ct_id = ContentType.objects.get_for_model(obj).pk
    transaction.on_commit(
        lambda: tasks.notify_moderators.enqueue(
            content_type_id=ct_id, object_id=str(obj.pk), kind=kind
        )
    )


def _notify_contributor(event: ModerationEvent) -> None:
    from essaim.moderation import tasks

    transaction.on_commit(lambda: tasks.notify_contributor.enqueue(event_id=event.pk))
