"""Writes validated records in batches: creates, updates, or proposes a pending version.

A record is keyed on (source, source_key). An existing record whose ``updated_at`` is later
than its ``imported_at`` was edited locally since the last import: the import never
overwrites it and proposes its values as a pending version instead.

Inserts go through ``bulk.insert_rows`` (binary COPY on PostgreSQL, ``executemany`` on SQLite)
and updates are plain ``executemany`` statements: the ORM's bulk methods spend most of a
100,000-row budget preparing values that are already clean here. Key look-ups pass their
keys as one parameter (``bulk.among``). A source with no record yet skips them altogether.
"""

import json
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from essaim.common.bulk import among, insert_rows, reserve_ids, unique_slugs
from essaim.initiatives import clustering
from essaim.initiatives.models import ImportSource, Initiative
from essaim.initiatives.models.initiative import new_edit_secret
from essaim.moderation import services as moderation
from essaim.moderation.exceptions import InvalidEdit
from essaim.moderation.models import PendingVersion, Status
from essaim.taxonomy.models import Theme
from essaim.territories.models import Commune

FIELDS = [
    "name", "summary", "description", "address", "postal_code", "commune_id", "latitude",
    "longitude", "geocoding", "email", "email_public", "phone", "website", "social_links",
    "opening_hours", "legal_form", "siret", "rna", "organisation_name", "licence",
]  # fmt: skip
PER_ROW = [*FIELDS, "slug", "source_key", "edit_secret"]
SOCIAL_LINKS = FIELDS.index("social_links")
Through = Initiative.themes.through
_meta = Initiative._meta


def _column(name: str) -> str:
    return connection.ops.quote_name(_meta.get_field(name).column)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    proposed: int = 0
    archived: int = 0
    changed_ids: list[int] = field(default_factory=list)
    placed_ids: list[int] = field(default_factory=list)  # created with their map point
    seen_keys: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


class Writer:
    def __init__(self, *, source: ImportSource, publish: bool, by=None):
        self.source, self.publish, self.by = source, publish, by
        self.counts = Counts()
        self.used_slugs: set[str] = set()
        # Keys are distinct within an import, so a source empty at the start has nothing
        # to compare with: its first import only creates.
        self.had_records = Initiative.objects.filter(source=source).exists()
        self._map: tuple[dict, dict] | None = None  # themes and départements, for points

    def write(self, batch: list) -> None:
        """``batch``: normalised rows (``values``, ``themes``) with distinct source keys."""
        if not batch:
            return
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

    def _existing(self, keys: list[str]) -> dict[str, tuple]:
        """source_key -> (pk, status, updated_at, imported_at, values, theme ids)."""
        if not self.had_records:
            return {}
        rows = (
            Initiative.objects.filter(among(_meta.db_table, "source_key", keys), source=self.source)
            .values_list("pk", "source_key", "status", "updated_at", "imported_at", *FIELDS)
            .order_by()
        )
        found = {r[1]: (r[0], r[2], r[3], r[4], r[5:], []) for r in rows}
        by_pk = {r[0]: r for r in found.values()}
        if not by_pk:
            return found
        pairs = Through.objects.filter(among(Through._meta.db_table, "initiative_id", by_pk))
        pairs = pairs.values_list("initiative_id", "theme_id")
        for initiative_id, theme_id in pairs.order_by("theme_id"):
            by_pk[initiative_id][5].append(theme_id)
        return found

    def _compare(self, current: tuple, row, changed: list) -> None:
        pk, status, updated_at, imported_at, values, themes = current
        new = tuple(row.values[name] for name in FIELDS)
        if new == values and themes == row.themes:
            self.counts.unchanged += 1
        elif imported_at and updated_at > imported_at:
            self._protect_local_edit(pk, status, row)
        else:
            changed.append((pk, row))

    def _protect_local_edit(self, pk: int, status: str, row) -> None:
        if status != Status.PUBLISHED:
            self.counts.warnings.append(f"{row.where} : fiche modifiée localement et non "
                                        "publiée, laissée telle quelle.")  # fmt: skip
            self.counts.unchanged += 1
            return
        obj = Initiative.objects.get(pk=pk)
        if PendingVersion.for_object(obj).filter(state=PendingVersion.State.PENDING).exists():
            # One version at a time: the next import proposes again once this one is decided.
            self.counts.unchanged += 1
            return
        named = {("commune" if n == "commune_id" else n): row.values[n] for n in FIELDS}
        changes = {n: v for n, v in named.items() if n in Initiative.moderated_fields}
        changes["themes"] = row.themes
        try:
            moderation.propose_edit(obj=obj, changes=changes, by=self.by)
            self.counts.proposed += 1
        except InvalidEdit:
            self.counts.unchanged += 1

    # --- creation -----------------------------------------------------------------------

    def _create(self, rows: list, now) -> None:
        if not rows:
            return
        slugs = self._slugs([r.values["name"] for r in rows])
        constants = self._constants(now)
        columns = [_meta.get_field(name).column for name in [*PER_ROW, *constants]]
        fixed = tuple(constants.values())
        values = [(*self._per_row(r, slug), *fixed) for r, slug in zip(rows, slugs, strict=True)]
        pks = reserve_ids(Initiative, len(rows))
        if pks:
            columns.append(_meta.pk.column)
            values = [(*row, pk) for row, pk in zip(values, pks, strict=True)]
        # Binary on PostgreSQL: psycopg formatting forty columns as text, five timestamps
        # among them, was a fifth of the client's CPU (1.1 s → 0.35 s per 100,000 rows).
        insert_rows(_meta.db_table, columns, values, binary=True)
        pks = pks or self._created_ids([r.values["source_key"] for r in rows])
        self._set_themes(pks, [r.themes for r in rows], replace=False)
        if self.publish:
            self._add_points(rows, pks, slugs)
        self.counts.created += len(pks)
        self.counts.changed_ids += pks

    def _add_points(self, rows: list, pks: list[int], slugs: list[str]) -> None:
        """Map points of new public records, from the values at hand (reading them back
        after the import cost a second pass); their cells are added at the end."""
        if self._map is None:
            themes = {pk: (parent, slug) for pk, parent, slug in
                      Theme.objects.values_list("pk", "parent_id", "slug")}  # fmt: skip
            departements = dict(Commune.objects.values_list("code", "departement_id"))
            self._map = themes, departements
        themes, departements = self._map
        points = []
        for row, pk, slug in zip(rows, pks, slugs, strict=True):
            values = row.values
            if values["latitude"] is None or values["longitude"] is None:
                continue
            found: dict = {}
            for theme in row.themes:
                clustering.add_theme(found, theme, *themes[theme])
            commune = values["commune_id"]
            point = (pk, values["latitude"], values["longitude"], commune,
                     departements.get(commune), values["name"], slug)  # fmt: skip
            points.append(clustering.point_values(point, found))
        clustering.add_points(points)
        self.counts.placed_ids += [point[0] for point in points]

    def _created_ids(self, keys: list[str]) -> list[int]:
        created = Initiative.objects.filter(among(_meta.db_table, "source_key", keys),
                                            source=self.source)  # fmt: skip
        ids = dict(created.values_list("source_key", "pk").order_by())
        return [ids[key] for key in keys]

    def _per_row(self, row, slug: str) -> list:
        values = [row.values[name] for name in FIELDS]
        # JSON text: what JSONField stores on both engines (COPY and SQLite take it as is).
        values[SOCIAL_LINKS] = json.dumps(values[SOCIAL_LINKS]) if values[SOCIAL_LINKS] else "[]"
        return [*values, slug, row.values["source_key"], new_edit_secret()]

    def _constants(self, now) -> dict:
        """Database values of every other column, the same for the whole batch."""
        status = Status.PUBLISHED if self.publish else Status.PENDING
        given = {"status": status, "source": self.source.pk, "submitted_at": now,
                 "published_at": now if self.publish else None, "imported_at": now,
                 "created_at": now, "updated_at": now}  # fmt: skip
        constants = {}
        for model_field in _meta.concrete_fields:
            if model_field.primary_key or model_field.attname in PER_ROW:
                continue
            value = given.get(model_field.name, model_field.get_default())
            constants[model_field.name] = model_field.get_db_prep_save(value, connection)
        return constants

    def _slugs(self, names: list[str]) -> list[str]:
        """Unique slugs for new records: one query per round of candidates."""
        bases = [(slugify(name)[:200] or "initiative") for name in names]
        return unique_slugs(Initiative, bases, self.used_slugs)

    # --- update -------------------------------------------------------------------------

    def _update(self, changed: list, now) -> None:
        if not changed:
            return
        columns = [*FIELDS, "updated_at", "imported_at"]
        sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 (quoted model identifiers)
            connection.ops.quote_name(_meta.db_table),
            ", ".join(f"{_column(c)} = %s" for c in columns),
            _column("id"),
        )
        stamp = _meta.get_field("updated_at").get_db_prep_save(now, connection)
        params = [(*self._per_row(row, "")[: len(FIELDS)], stamp, stamp, pk) for pk, row in changed]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
        pks = [pk for pk, _row in changed]
        self._set_themes(pks, [row.themes for _pk, row in changed], replace=True)
        self.counts.updated += len(pks)
        self.counts.changed_ids += pks

    def _set_themes(self, pks: list[int], themes: list[list[int]], *, replace: bool) -> None:
        table = Through._meta.db_table
        if replace:
            Through.objects.filter(among(table, "initiative_id", pks)).delete()
        links = [(pk, t) for pk, ids in zip(pks, themes, strict=True) for t in ids]
        if links:
            insert_rows(table, ["initiative_id", "theme_id"], links)

    # --- gone at source -----------------------------------------------------------------

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
