"""Writes validated records in batches: creates, updates, or proposes a pending version.

A record is keyed on (source, source_key). An existing record whose ``updated_at`` is later
than its ``imported_at`` was edited locally since the last import: the import never
overwrites it and proposes its values as a pending version instead.
"""

from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from essaim.initiatives.models import ImportSource, Initiative
from essaim.moderation import services as moderation
from essaim.moderation.exceptions import InvalidEdit
from essaim.moderation.models import PendingVersion, Status

FIELDS = [
    "name", "summary", "description", "address", "postal_code", "commune_id", "latitude",
    "longitude", "geocoding", "email", "email_public", "phone", "website", "social_links",
    "opening_hours", "legal_form", "siret", "rna", "organisation_name", "licence",
]  # fmt: skip
Through = Initiative.themes.through


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    proposed: int = 0
    archived: int = 0
    changed_ids: list[int] = field(default_factory=list)
    seen_keys: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


class Writer:
    def __init__(self, *, source: ImportSource, publish: bool, by=None):
        self.source, self.publish, self.by = source, publish, by
        self.counts = Counts()
        self.used_slugs: set[str] = set()

    def write(self, batch: list) -> None:
        """``batch``: normalised rows (``values``, ``themes``) with distinct source keys."""
        now = timezone.now()
        existing = self._existing([r.values["source_key"] for r in batch])
        fresh, changed = [], []
        for row in batch:
            row.values.setdefault("licence", self.source.licence)
            self.counts.seen_keys.add(row.values["source_key"])
            current = existing.get(row.values["source_key"])
            if current is None:
                fresh.append(row)
            else:
                self._compare(current, row, changed)
        self._create(fresh, now)
        self._update(changed, now)

    def _existing(self, keys: list[str]) -> dict[str, Initiative]:
        objects = Initiative.objects.filter(source=self.source, source_key__in=keys).only(
            *FIELDS, "source_key", "status", "updated_at", "imported_at", "slug"
        )
        found = {o.source_key: o for o in objects}
        for obj in found.values():
            obj.theme_ids = []
        by_pk = {o.pk: o for o in found.values()}
        pairs = Through.objects.filter(initiative_id__in=by_pk).values_list(
            "initiative_id", "theme_id"
        )
        for initiative_id, theme_id in pairs.order_by("theme_id"):
            by_pk[initiative_id].theme_ids.append(theme_id)
        return found

    def _compare(self, current: Initiative, row, changed: list) -> None:
        values = {name: row.values[name] for name in FIELDS}
        differs = any(getattr(current, n) != v for n, v in values.items())
        if not differs and current.theme_ids == row.themes:
            self.counts.unchanged += 1
        elif current.imported_at and current.updated_at > current.imported_at:
            self._protect_local_edit(current, values, row)
        else:
            changed.append((current, values, row.themes))

    def _protect_local_edit(self, current: Initiative, values: dict, row) -> None:
        if current.status != Status.PUBLISHED:
            self.counts.warnings.append(f"{row.where} : fiche modifiée localement et non "
                                        "publiée, laissée telle quelle.")  # fmt: skip
            self.counts.unchanged += 1
            return
        if PendingVersion.for_object(current).filter(state=PendingVersion.State.PENDING).exists():
            # One version at a time: the next import proposes again once this one is decided.
            self.counts.unchanged += 1
            return
        named = {("commune" if n == "commune_id" else n): v for n, v in values.items()}
        changes = {n: v for n, v in named.items() if n in Initiative.moderated_fields}
        changes["themes"] = row.themes
        try:
            moderation.propose_edit(obj=current, changes=changes, by=self.by)
            self.counts.proposed += 1
        except InvalidEdit:
            self.counts.unchanged += 1

    def _create(self, rows: list, now) -> None:
        if not rows:
            return
        slugs = self._slugs([r.values["name"] for r in rows])
        status = Status.PUBLISHED if self.publish else Status.PENDING
        objects = [
            Initiative(
                **row.values, slug=slug, source=self.source, status=status,
                published_at=now if self.publish else None, submitted_at=now, imported_at=now,
            )
            for row, slug in zip(rows, slugs, strict=True)
        ]  # fmt: skip
        Initiative.objects.bulk_create(objects)
        if not all(o.pk for o in objects):  # backends that return no ids on bulk insert
            keys = [o.source_key for o in objects]
            ids = dict(Initiative.objects.filter(source=self.source, source_key__in=keys)
                       .values_list("source_key", "pk"))  # fmt: skip
            for obj in objects:
                obj.pk = ids[obj.source_key]
        pks = [o.pk for o in objects]
        # The insert stamped updated_at itself: align imported_at so this is no "local edit".
        Initiative.objects.filter(pk__in=pks).update(imported_at=F("updated_at"))
        self._set_themes(pks, [r.themes for r in rows], replace=False)
        self.counts.created += len(objects)
        self.counts.changed_ids += pks

    def _update(self, changed: list, now) -> None:
        if not changed:
            return
        objects = []
        for obj, values, _themes in changed:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.updated_at = obj.imported_at = now
            objects.append(obj)
        Initiative.objects.bulk_update(objects, [*FIELDS, "updated_at", "imported_at"])
        self._set_themes([o.pk for o in objects], [c[2] for c in changed], replace=True)
        self.counts.updated += len(objects)
        self.counts.changed_ids += [o.pk for o in objects]

    def _set_themes(self, pks: list[int], themes: list[list[int]], *, replace: bool) -> None:
        if replace:
            Through.objects.filter(initiative_id__in=pks).delete()
        links = [Through(initiative_id=pk, theme_id=t)
                 for pk, ids in zip(pks, themes, strict=True) for t in ids]  # fmt: skip
        Through.objects.bulk_create(links, batch_size=2000)

    def _slugs(self, names: list[str]) -> list[str]:
        """Unique slugs for new records: one query per round of candidates."""
        bases = [(slugify(name)[:200] or "initiative") for name in names]
        slugs, suffix = list(bases), 1
        while True:
            taken = set(
                Initiative.objects.filter(slug__in=set(slugs)).values_list("slug", flat=True)
            )
            clashes, seen = [], set()
            for i, slug in enumerate(slugs):
                if slug in taken or slug in self.used_slugs or slug in seen:
                    clashes.append(i)
                seen.add(slug)
            if not clashes:
                self.used_slugs.update(slugs)
                return slugs
            suffix += 1
            for i in clashes:
                slugs[i] = f"{bases[i]}-{suffix}"

    def archive_gone(self) -> list[int]:
        """Archive the source's published records that the (full) import did not contain."""
        published = Initiative.objects.filter(source=self.source, status=Status.PUBLISHED)
        gone = [pk for pk, key in published.values_list("pk", "source_key")
                if key not in self.counts.seen_keys]  # fmt: skip
        reason = f"Disparu de la source « {self.source.name} »"
        for obj in Initiative.objects.filter(pk__in=gone):
            moderation.archive(obj=obj, by=self.by, reason=reason)
        self.counts.archived = len(gone)
        self.counts.changed_ids += gone
        return gone
