"""Finding moderated items from URL parts, and assembling the moderators' queue."""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404

from essaim.moderation import registry
from essaim.moderation.models import ModerationEvent, PendingVersion, Report

QUEUE_LIMIT = 200  # per type and section: the queue is a work list, not an archive


def get_item(type_label: str, pk: str, *, public_only: bool):
    """The registered item, or Http404 (also for unknown types and malformed keys)."""
    entry = registry.get(type_label)
    if entry is None or (public_only and not entry.reportable):
        raise Http404
    queryset = entry.queryset()
    if public_only:
        queryset = queryset.public()
    try:
        return entry, queryset.get(pk=pk)
    except (entry.model.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def item_key(obj) -> str:
    """ "app_label.model_name:pk", the value of a bulk-action checkbox."""
    return f"{obj._meta.label_lower}:{obj.pk}"


@dataclass
class QueueEntry:
    entry: registry.ModeratedType
    obj: object
    open_reports: int = 0
    address: str = ""  # the hashed address a pending item was submitted from, if known
    from_address: int = 0  # pending items in the queue from that same address

    @property
    def short_address(self) -> str:
        return self.address[:8]

    @property
    def key(self) -> str:
        return item_key(self.obj)


@dataclass
class Queue:
    pending: list[QueueEntry] = field(default_factory=list)
    hidden: list[QueueEntry] = field(default_factory=list)
    versions: list[PendingVersion] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.pending) + len(self.hidden) + len(self.versions)


def build_queue() -> Queue:
    """Everything waiting for a moderator, across every registered type."""
    queue = Queue(versions=_pending_versions())
    counts = _open_report_counts()
    for entry in registry.types():
        queryset = entry.queryset()
        pending = queryset.pending().order_by("submitted_at", "pk")[:QUEUE_LIMIT]
        queue.pending += [QueueEntry(entry, obj) for obj in pending]
        hidden = queryset.hidden().order_by("hidden_at", "pk")[:QUEUE_LIMIT]
        queue.hidden += [QueueEntry(entry, obj, counts[item_key(obj)]) for obj in hidden]
    _add_addresses(queue.pending)
    return queue


def _add_addresses(rows: list[QueueEntry]) -> None:
    """Tag pending rows with their submission's hashed address, in one query, so that a
    wave from one connection shows (and can be blocked) at a glance."""
    if not rows:
        return
    targets = Q()
    for ct, pks in _pks_by_type(rows).items():
        targets |= Q(content_type=ct, object_id__in=pks)
    events = (
        ModerationEvent.objects.filter(targets, action=ModerationEvent.Action.SUBMITTED)
        .exclude(address_hash="")
        .order_by("created_at", "pk")
        .values_list("content_type_id", "object_id", "address_hash")
    )
    addresses = {f"{_label(ct_id)}:{pk}": address for ct_id, pk, address in events}
    for row in rows:
        row.address = addresses.get(row.key, "")
    per_address = Counter(row.address for row in rows if row.address)
    for row in rows:
        row.from_address = per_address[row.address] if row.address else 0


def _pks_by_type(rows: list[QueueEntry]) -> dict:
    pks: dict = {}
    for row in rows:
        ct = ContentType.objects.get_for_model(type(row.obj))
        pks.setdefault(ct, []).append(str(row.obj.pk))
    return pks


def _open_report_counts() -> Counter:
    rows = (
        Report.objects.filter(state=Report.State.OPEN)
        .values_list("content_type_id", "object_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({f"{_label(ct_id)}:{object_id}": n for ct_id, object_id, n in rows})


def _label(content_type_id: int) -> str:
    ct = ContentType.objects.get_for_id(content_type_id)
    return f"{ct.app_label}.{ct.model}"


def _pending_versions() -> list[PendingVersion]:
    registered = [ContentType.objects.get_for_model(t.model) for t in registry.types()]
    versions = (
        PendingVersion.objects.filter(
            state=PendingVersion.State.PENDING, content_type__in=registered
        )  # fmt: skip
        .select_related("author")
        .prefetch_related("content_object")
        .order_by("created_at", "pk")[:QUEUE_LIMIT]
    )
    return list(versions)
