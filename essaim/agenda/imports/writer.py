"""Writes import records: creates, updates, leaves unchanged, proposes, or withdraws.

An event is keyed on (source, UID); its modified occurrences on (event, RECURRENCE-ID).
An existing event whose ``updated_at`` is later than its ``imported_at`` was edited here
since the last import: the import never overwrites it and proposes its values as a pending
version instead (the rule of the initiatives' importer). Events of the source that are no
longer in the file and not over yet are withdrawn: archived if published, refused if pending.

Writes are bulk statements run inside ``recurrence.deferred()``; the occurrences of new
events are then computed here and inserted in bulk (the fast path), those of updated events
by ``recurrence.sync_occurrences``.
"""

from dataclasses import dataclass, field
from functools import partial
from zoneinfo import ZoneInfo

import recurring_ical_events
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from essaim.agenda import recurrence
from essaim.agenda.imports.calendar import Change, Record
from essaim.agenda.models import CalendarSource, Event, EventChange, Occurrence
from essaim.agenda.models.event import new_edit_secret
from essaim.common import bulk
from essaim.moderation import services as moderation
from essaim.moderation.exceptions import InvalidEdit
from essaim.moderation.models import ModerationEvent, PendingVersion, Status

FIELDS = [
    "title", "summary", "description", "organiser_name", "attendance_mode", "place_name",
    "address", "postal_code", "commune_id", "latitude", "longitude", "online_url", "timezone",
    "all_day", "start", "end", "rrule", "exdates", "event_status", "source_url",
]  # fmt: skip
CHANGE_FIELDS = ["recurrence_id", "start", "end", "title", "event_status", "note"]
BATCH = 1000
Through = Event.themes.through


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    proposed: int = 0
    withdrawn: int = 0
    restored: int = 0
    written_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Existing:
    pk: int
    status: str
    sequence: int
    locally_edited: bool
    values: tuple
    themes: list[int]
    changes: list[tuple]


class Writer:
    def __init__(self, *, source: CalendarSource, publish: bool, by=None, now=None):
        self.source, self.publish, self.by = source, publish, by
        self.now = now or timezone.now()
        self.counts = Counts()
        self.seen: set[str] = set()
        self.used_slugs: set[str] = set()

    def write(self, records: list[Record]) -> None:
        """``records``: distinct UIDs, values complete (see ``fields.describe``)."""
        for start in range(0, len(records), BATCH):
            self._write_batch(records[start : start + BATCH])

    def _write_batch(self, batch: list[Record]) -> None:
        existing = self._existing([r.uid for r in batch])
        fresh, changed, returning = [], [], []
        for record in batch:
            self.seen.add(record.uid)
            current = existing.get(record.uid)
            if current is None:
                fresh.append(record)
            elif current.status == Status.ARCHIVED:
                returning.append((current, record))
            else:
                self._compare(current, record, changed)
        self._create(fresh)
        self._update(changed)
        self._restore(returning)

    # --- reading what is there ------------------------------------------------------------

    def _existing(self, uids: list[str]) -> dict[str, Existing]:
        rows = Event.objects.filter(source=self.source, uid__in=uids).values_list(
            "pk", "uid", "status", "sequence", "updated_at", "imported_at", *FIELDS
        )
        found, by_pk = {}, {}
        for pk, uid, status, sequence, updated_at, imported_at, *values in rows:
            edited = bool(imported_at and updated_at > imported_at)
            found[uid] = by_pk[pk] = Existing(pk, status, sequence, edited, tuple(values), [], [])
        links = Through.objects.filter(event_id__in=by_pk).order_by("theme_id")
        for event_id, theme_id in links.values_list("event_id", "theme_id"):
            by_pk[event_id].themes.append(theme_id)
        changes = EventChange.objects.filter(event_id__in=by_pk).order_by("recurrence_id")
        for event_id, *values in changes.values_list("event_id", *CHANGE_FIELDS):
            by_pk[event_id].changes.append(tuple(values))
        return found

    def _compare(self, current: Existing, record: Record, changed: list) -> None:
        new = tuple(record.values[name] for name in FIELDS)
        changes = [_change_tuple(c) for c in record.changes]
        same = new == current.values and record.themes == current.themes
        if same and changes == current.changes:
            self.counts.unchanged += 1
        elif current.locally_edited:
            self._propose(current, record)
        else:
            changed.append((current, record))

    # --- creation ---------------------------------------------------------------------------

    def _create(self, records: list[Record]) -> None:
        if not records:
            return
        first, last = recurrence.window(self.now)
        status = Status.PUBLISHED if self.publish else Status.PENDING
        constants = {"source": self.source.pk, "status": status, "licence": self.source.licence,
                     "submitted_at": self.now, "imported_at": self.now, "created_at": self.now,
                     "updated_at": self.now,
                     "published_at": self.now if self.publish else None}  # fmt: skip
        per_row = [*FIELDS, "slug", "uid", "edit_secret", "expanded_until"]
        rows = [
            (*(r.values[name] for name in FIELDS), slug, r.uid, new_edit_secret(),
             last if r.values["rrule"] else r.values["end"])
            for r, slug in zip(records, self._slugs(records), strict=True)
        ]  # fmt: skip
        insert_rows(Event, per_row, rows, constants)
        ids = dict(
            Event.objects.filter(source=self.source, uid__in=[r.uid for r in records])
            .values_list("uid", "pk")
        )  # fmt: skip
        pks = [ids[r.uid] for r in records]
        self._set_themes(pks, [r.themes for r in records], replace=False)
        changes = self._create_changes(pks, records)
        self._create_occurrences(pks, records, changes, first, last)
        self.counts.created += len(pks)
        self.counts.written_ids += pks

    def _slugs(self, records: list[Record]) -> list[str]:
        """Unique slugs "title-YYYY-MM-DD", suffixed on clashes: one query per round."""
        bases = [
            f"{(slugify(r.values['title'])[:140] or 'evenement').strip('-')}-"
            f"{r.values['start'].astimezone(_zone(r)):%Y-%m-%d}"
            for r in records
        ]
        return bulk.unique_slugs(Event, bases, self.used_slugs)

    def _create_changes(self, pks: list[int], records: list[Record]) -> dict:
        rows = [
            EventChange(event_id=pk, **_change_values(change))
            for pk, record in zip(pks, records, strict=True)
            for change in record.changes
        ]
        EventChange.objects.bulk_create(rows, batch_size=500)
        by_event: dict[int, list[EventChange]] = {}
        for row in rows:
            by_event.setdefault(row.event_id, []).append(row)
        return by_event

    def _create_occurrences(self, pks, records, changes: dict, first, last) -> None:
        series = [
            Event(pk=pk, uid=r.uid, **_model_values(r), updated_at=self.now)
            for pk, r in zip(pks, records, strict=True)
            if r.values["rrule"]
        ]
        expanded = expand_all(series, changes, first, last)
        rows = []
        for pk, record in zip(pks, records, strict=True):
            status = record.values["event_status"]
            own = {c.pk: c.event_status or status for c in changes.get(pk, [])}
            if record.values["rrule"]:
                dates = expanded.get(pk, [])
            else:
                start, end = record.values["start"], record.values["end"]
                dates = [recurrence.Dates(start, end, start, None)]
            rows += [(pk, d.start, d.end, d.recurrence_id, d.change_id,
                      own.get(d.change_id, status)) for d in dates]  # fmt: skip
        columns = ["event", "start", "end", "recurrence_id", "change", "event_status"]
        insert_rows(Occurrence, columns, rows)

    # --- update -----------------------------------------------------------------------------

    def _update(self, changed: list[tuple[Existing, Record]]) -> None:
        if not changed:
            return
        events = []
        for current, record in changed:
            event = Event(pk=current.pk, **_model_values(record), sequence=current.sequence + 1,
                          updated_at=self.now, imported_at=self.now)  # fmt: skip
            events.append(event)
        Event.objects.bulk_update(
            events, [*FIELDS, "sequence", "updated_at", "imported_at"], batch_size=200
        )
        pks = [e.pk for e in events]
        self._set_themes(pks, [r.themes for _, r in changed], replace=True)
        EventChange.objects.filter(event_id__in=pks).delete()
        EventChange.objects.bulk_create(
            [EventChange(event_id=current.pk, **_change_values(change))
             for current, record in changed for change in record.changes],
            batch_size=500,
        )  # fmt: skip
        for event in Event.objects.filter(pk__in=pks):
            recurrence.sync_occurrences(event, now=self.now)
        self.counts.updated += len(pks)
        self.counts.written_ids += pks

    def _set_themes(self, pks: list[int], themes: list[list[int]], *, replace: bool) -> None:
        if replace:
            Through.objects.filter(event_id__in=pks).delete()
        links = [Through(event_id=pk, theme_id=t)
                 for pk, ids in zip(pks, themes, strict=True) for t in ids]  # fmt: skip
        Through.objects.bulk_create(links, batch_size=2000)

    # --- edited here since the last import ----------------------------------------------------

    def _propose(self, current: Existing, record: Record) -> None:
        if current.status != Status.PUBLISHED:
            self.counts.warnings.append(f"{record.where} : modifié ici et non publié, "
                                        "laissé tel quel.")  # fmt: skip
            self.counts.unchanged += 1
            return
        event = Event.objects.get(pk=current.pk)
        if PendingVersion.for_object(event).filter(state=PendingVersion.State.PENDING).exists():
            # One version at a time: the next import proposes again once this one is decided.
            self.counts.unchanged += 1
            return
        values = _model_values(record)
        changes = {name: value for name, value in values.items() if name in Event.moderated_fields}
        changes["commune"], changes["themes"] = values["commune_id"], record.themes
        try:
            moderation.propose_edit(obj=event, changes=changes, by=self.by)
            self.counts.proposed += 1
        except InvalidEdit:
            self.counts.unchanged += 1

    # --- withdrawn at the source, and back again --------------------------------------------

    def withdraw_gone(self) -> None:
        """Withdraw the source's visible events missing from the file and not over yet."""
        candidates = Event.objects.filter(
            Q(end__gt=self.now) | ~Q(rrule=""),
            source=self.source, status__in=[Status.PUBLISHED, Status.PENDING],
        ).values_list("pk", "uid")  # fmt: skip
        gone = [pk for pk, uid in candidates if uid not in self.seen]
        reason = f"Disparu de la source « {self.source.name} »"
        for event in Event.objects.filter(pk__in=gone):
            if event.status == Status.PUBLISHED:
                moderation.archive(obj=event, by=self.by, reason=reason)
            else:
                moderation.reject(obj=event, by=self.by, reason=reason)
        self.counts.withdrawn += len(gone)
        self.counts.written_ids += gone

    def _restore(self, returning: list[tuple[Existing, Record]]) -> None:
        """An event this import withdrew is back at the source: publish it again, updated."""
        if not returning:
            return
        mine = self._withdrawn_by_import([current.pk for current, _ in returning])
        back = [(c, r) for c, r in returning if c.pk in mine]
        self.counts.unchanged += len(returning) - len(back)
        for current, _record in back:
            event = Event.objects.get(pk=current.pk)
            moderation.restore(obj=event, by=self.by, reason="De retour à la source")
            current.status = Status.PUBLISHED
        self._update(back)
        self.counts.restored += len(back)

    def _withdrawn_by_import(self, pks: list[int]) -> set[int]:
        """Those whose last history entry is this importer's archiving."""
        history = ModerationEvent.objects.filter(
            content_type__app_label="agenda", content_type__model="event",
            object_id__in=[str(pk) for pk in pks],
        ).order_by("object_id", "-created_at", "-pk")  # fmt: skip
        last = {}
        for object_id, action, reason in history.values_list("object_id", "action", "reason"):
            last.setdefault(int(object_id), (action, reason))
        return {pk for pk, (action, reason) in last.items()
                if action == ModerationEvent.Action.ARCHIVED
                and reason.startswith("Disparu de la source")}  # fmt: skip


class _Occurrences(recurring_ical_events.CalendarQuery):
    """rie's query, answering with its occurrences as they are: the writer needs only their
    times, and copying each into a VEVENT (what ``between`` usually returns) is most of the
    cost of an expansion."""

    def _occurrences_to_components(self, occurrences):
        return occurrences


def expand_all(series: list[Event], changes: dict, first, last) -> dict[int, list]:
    """``recurrence.expand`` for many series at once: {event pk: [Dates]} over [first, last).

    The same components and the same expansion by recurring-ical-events, in one pass; a
    modified occurrence is matched to its EventChange by its new times.
    """
    if not series:
        return {}
    vevents = [v for e in series for v in recurrence.components(e, changes.get(e.pk, []))]
    by_uid = {e.uid: e for e in series}
    moved = {(c.event_id, c.start, c.end): c for e in series for c in changes.get(e.pk, [])}
    query = recurring_ical_events.of(recurrence.calendar_of(vevents), calendar_query=_Occurrences)
    found: dict[int, list] = {}
    for occurrence in query.between(first, last):
        event = by_uid[occurrence.uid]
        start = recurrence.as_aware(occurrence.start, event.zone)
        end = recurrence.as_aware(occurrence.end, event.zone)
        change = moved.get((event.pk, start, end)) if occurrence.recurrence_ids else None
        rid = change.recurrence_id if change else start
        found.setdefault(event.pk, []).append(
            recurrence.Dates(start, end, rid, change.pk if change else None)
        )
    return found


def insert_rows(model, columns: list[str], rows: list[tuple], constants=None) -> None:
    """Bulk INSERTs of ``rows`` (model values for ``columns``) plus ``constants``, the
    model's defaults for every other column: the ORM's bulk_create spends most of a
    10,000-event budget building instances for values that are clean here."""
    meta = model._meta
    fixed = _constants(model, columns, constants or {})
    fields = [meta.get_field(name) for name in columns]
    names = [*(f.column for f in fields), *(meta.get_field(n).column for n in fixed)]
    prepare = [_preparer(f) for f in fields]
    tail = tuple(fixed.values())
    params = [(*(p(v) for p, v in zip(prepare, row, strict=True)), *tail) for row in rows]
    # COPY on PostgreSQL, executemany on SQLite (see essaim/common/bulk.py).
    bulk.insert_rows(meta.db_table, names, params)


PLAIN = (models.CharField, models.TextField, models.IntegerField, models.FloatField,
         models.BooleanField, models.ForeignKey)  # fmt: skip


def _preparer(field):
    """The database form of a value already clean: as is for plain types, the backend's own
    adaptation for aware datetimes (the field's generic path re-validates them at length)."""
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, PLAIN):
        return _same
    return partial(field.get_db_prep_save, connection=connection)


def _same(value):
    return value


def _constants(model, columns: list[str], given: dict) -> dict:
    """Database values of the columns not given per row: ``given`` or the field's default."""
    constants = {}
    for column in model._meta.concrete_fields:
        if column.primary_key or column.name in columns or column.attname in columns:
            continue
        value = given.get(column.name, column.get_default())
        constants[column.name] = column.get_db_prep_save(value, connection)
    return constants


def _model_values(record: Record) -> dict:
    return {name: record.values[name] for name in FIELDS}


def _change_values(change: Change) -> dict:
    return {name: getattr(change, name) for name in CHANGE_FIELDS}


def _change_tuple(change: Change) -> tuple:
    return tuple(getattr(change, name) for name in CHANGE_FIELDS)


def _zone(record: Record) -> ZoneInfo:
    return ZoneInfo(record.values["timezone"])
