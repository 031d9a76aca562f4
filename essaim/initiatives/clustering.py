"""Server-side clusters of public initiatives, maintained on write.

Design (see docs/map.md):
- every public, located initiative has a ``MapPoint`` (integer Web-Mercator reference
  pixels, its commune, département and "scopes": its themes with their parents, its
  département);
- ``MapCell`` pre-aggregates points per grid cell of ``CELL_PX`` screen pixels, for zooms
  0..``MAX_CELL_ZOOM`` and per scope ("" everything, "t<theme id>", "d<département>");
- a write moves only the cells of the points it changed (integer deltas, one upsert);
  large batches and ``essaim rebuild-map`` rebuild the cells in set-based SQL;
- reads (``map_features``) use pre-aggregated cells when scopes answer the filter (none,
  one theme, one département, one région = its départements), and aggregate live over
  ``MapPoint`` otherwise (theme + territory, EPCI, commune, text), bounded by the view.
"""

import heapq
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BooleanField, Count, Exists, F, FloatField, OuterRef, Q, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from essaim.common.bulk import empty_tables, insert_rows
from essaim.common.geo import BBox, divisor, from_ref_pixel, rounded, to_ref_pixel
from essaim.initiatives.models import Initiative
from essaim.initiatives.models.clusters import MapCell, MapPoint, MapState
from essaim.taxonomy.models import Theme
from essaim.territories.models import Departement, Level
from essaim.territories.territory import AnyTerritory, commune_filter

CELL_PX = 64  # a power of two, so that cells of zoom z-1 are 2×2 cells of zoom z
MAX_CELL_ZOOM = 13  # above it the map shows points (a view then spans a few km)
ZOOMS = range(MAX_CELL_ZOOM + 1)
# Past this many changed initiatives, cell deltas are computed in SQL (set-based) rather
# than per point in Python.
BULK_THRESHOLD = 5_000
BATCH = 2_000


# --- versions ---------------------------------------------------------------------------


def map_version() -> int:
    state = MapState.objects.filter(pk=1).values_list("version", flat=True).first()
    return state or 0


def bump_version() -> None:
    from essaim.common.pagecache import content_changed

    if not MapState.objects.filter(pk=1).update(version=F("version") + 1):
        MapState.objects.create(pk=1, version=1)
    content_changed()  # bulk imports write without signals: pages showing the map change


# --- points -----------------------------------------------------------------------------


THEME_FIELDS = ("initiative_id", "theme_id", "theme__parent_id", "theme__slug")


def add_theme(themes: dict, theme_id: int, parent_id: int | None, slug: str) -> None:
    """Record a theme of an initiative: its scopes (with the parent's) and its slug."""
    themes.setdefault("scopes", set()).add(f"t{theme_id}")
    if parent_id:
        themes["scopes"].add(f"t{parent_id}")
    themes.setdefault("slugs", set()).add(slug)


def themes_of(ids: Iterable[int], *, condition: Q | None = None) -> dict[int, dict]:
    """{initiative id: {"scopes": {"t<theme>", "t<parent>"…}, "slugs": {…}}}."""
    through = Initiative.themes.through
    themes: dict[int, dict] = defaultdict(dict)
    links = through.objects.filter(condition or Q(initiative_id__in=ids))
    for pk, theme_id, parent_id, slug in links.values_list(*THEME_FIELDS).order_by():
        add_theme(themes[pk], theme_id, parent_id, slug)
    return themes


POINT_COLUMNS = ("initiative_id", "x", "y", "commune", "departement", "scopes", "label")


def point_values(row: tuple, themes: dict) -> tuple:
    """A MapPoint's values, in POINT_COLUMNS order, from an initiative's POINT_FIELDS."""
    pk, lat, lon, commune, departement, name, slug = row
    x, y = to_ref_pixel(lon, lat)
    scopes = sorted(themes.get("scopes", ())) + ([f"d{departement}"] if departement else [])
    label = {"name": name, "slug": slug, "themes": sorted(themes.get("slugs", ()))}
    return (pk, x, y, commune or "", departement or "", " ".join(scopes),
            json.dumps(label, ensure_ascii=False))  # fmt: skip


def make_point(row: tuple, themes: dict) -> MapPoint:
    return MapPoint(**dict(zip(POINT_COLUMNS, point_values(row, themes), strict=True)))


POINT_FIELDS = ("id", "latitude", "longitude", "commune_id", "commune__departement_id",
                "name", "slug")  # fmt: skip


def current_points(ids: list[int]) -> list[MapPoint]:
    """What the map should hold for these initiatives now (public and located only)."""
    rows = Initiative.objects.public().located().filter(pk__in=ids).values_list(*POINT_FIELDS)
    themes = themes_of(ids)
    return [make_point(row, themes.get(row[0], {})) for row in rows]


# --- cells: deltas ----------------------------------------------------------------------


def point_cells(point: MapPoint) -> Iterator[tuple[str, int, int, int]]:
    """Every (scope, zoom, cx, cy) a point counts in."""
    for scope in ["", *point.scopes.split()]:
        for zoom in ZOOMS:
            size = divisor(zoom, CELL_PX)
            yield scope, zoom, point.x // size, point.y // size


def cell_deltas(old: Iterable[MapPoint], new: Iterable[MapPoint]) -> dict[tuple, list[int]]:
    deltas: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for sign, points in ((-1, old), (1, new)):
        for point in points:
            for key in point_cells(point):
                delta = deltas[key]
                delta[0] += sign
                delta[1] += sign * point.x
                delta[2] += sign * point.y
                delta[3] += sign * point.initiative_id
    return {key: delta for key, delta in deltas.items() if any(delta)}


def apply_deltas(deltas: dict[tuple, list[int]]) -> None:
    table = MapCell._meta.db_table
    rows = [(*key, *delta) for key, delta in deltas.items()]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f'INSERT INTO {table} (scope, zoom, cx, cy, "count", x_sum, y_sum, id_sum) '  # noqa: S608 (no user input)
                f"VALUES {values} ON CONFLICT (scope, zoom, cx, cy) DO UPDATE SET "
                f'"count" = {table}."count" + excluded."count", '
                f"x_sum = {table}.x_sum + excluded.x_sum, "
                f"y_sum = {table}.y_sum + excluded.y_sum, "
                f"id_sum = {table}.id_sum + excluded.id_sum",
                [value for row in chunk for value in row],
            )
        emptied = [key for key, delta in deltas.items() if delta[0] < 0]
        cursor.executemany(
            f"DELETE FROM {table} WHERE scope = %s AND zoom = %s AND cx = %s AND cy = %s "  # noqa: S608 (no user input)
            f'AND "count" <= 0',
            emptied,
        )


def refresh(ids: Iterable[int]) -> None:
    """Bring the points and cells of these initiatives up to date (any mix of changes)."""
    ids = sorted(set(ids))
    if not ids:
        return
    if len(ids) > BULK_THRESHOLD:
        refresh_in_bulk(ids)
        return
    with transaction.atomic():
        changed = [refresh_batch(ids[start : start + BATCH]) for start in range(0, len(ids), BATCH)]
        if any(changed):  # a pending proposal is on no map: views and pages stay valid
            bump_version()


def refresh_batch(ids: list[int]) -> bool:
    """Whether any of these initiatives was or is on the map."""
    old = list(MapPoint.objects.filter(initiative_id__in=ids))
    new = current_points(ids)
    if not old and not new:
        return False
    apply_deltas(cell_deltas(old, new))
    MapPoint.objects.filter(initiative_id__in=ids).delete()
    MapPoint.objects.bulk_create(new)
    return True


def remove(ids: Iterable[int]) -> None:
    """Take initiatives off the map (before they are deleted)."""
    with transaction.atomic():
        old = list(MapPoint.objects.filter(initiative_id__in=list(ids)))
        if old:
            apply_deltas(cell_deltas(old, []))
            MapPoint.objects.filter(initiative_id__in=[p.initiative_id for p in old]).delete()
        bump_version()


# --- cells: in bulk (set-based) ---------------------------------------------------------
#
# A large batch of changes: the zoom-13 deltas of the points taken off (-) and put on (+)
# the map are aggregated in SQL into a temporary, index-less table, each shallower zoom is
# derived there from the one below (2×2 cells), and the sum per cell is applied to MapCell
# in one upsert sorted on its key, then the emptied cells are deleted. Only the cells the
# changed points fall in are touched, so a 100,000-row import into a million-point map
# costs what its own rows cost. Into an empty MapCell (a rebuild, a first import), the
# cells are written directly with its key's index dropped, then the index is built once
# (PostgreSQL; SQLite appends them in the key's order).

STAGE = "map_cell_delta"
IDS = "map_changed_ids"


def rebuild(*, progress=None) -> int:
    """Recompute every point and cell; returns the number of points. Idempotent."""
    with transaction.atomic():
        empty_tables(MapCell._meta.db_table, MapPoint._meta.db_table)
        count = rebuild_points(progress=progress)
        rebuild_cells()
        bump_version()
    analyze()
    return count


def refresh_in_bulk(ids: list[int]) -> None:
    """``refresh`` for many ids: old points out, new points in, cells by set-based deltas."""
    ids = sorted(set(ids))
    points = connection.ops.quote_name(MapPoint._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        changed = _changed_table(cursor, ids)
        _create_stage(cursor)
        removed = _stage_points(cursor, changed, sign=-1)
        if removed:
            cursor.execute(f"DELETE FROM {points} WHERE initiative_id IN (SELECT id FROM {IDS})")  # noqa: S608 (no user input)
        for start in range(0, len(ids), 10_000):
            chunk = ids[start : start + 10_000]
            public = Initiative.objects.public().located()
            rows = public.filter(changed_ids(Initiative, "id", chunk))
            links = changed_ids(Initiative.themes.through, "initiative_id", chunk)
            themes = themes_of(chunk, condition=links)
            values = [point_values(row, themes.get(row[0], {}))
                      for row in rows.values_list(*POINT_FIELDS).order_by()]  # fmt: skip
            insert_rows(MapPoint._meta.db_table, POINT_COLUMNS, values)
        _write_cells(cursor, changed, removed=removed)
        cursor.execute(f"DROP TABLE {IDS}")
        cursor.execute(f"DROP TABLE {STAGE}")
        bump_version()
    analyze(changed=len(ids))


def add_points(values: list[tuple]) -> None:
    """Write the points (POINT_COLUMNS values, from ``point_values``) of initiatives that
    have none yet: an import's new records, whose values it holds. Their cells wait for
    ``place_points``: the import writes points batch by batch, cells once at the end."""
    insert_rows(MapPoint._meta.db_table, POINT_COLUMNS, values)


def place_points(ids: list[int]) -> None:
    """Add to the cells the points of these initiatives, written by ``add_points`` (so with
    no earlier point to take off); per point or set-based, as ``refresh``."""
    ids = sorted(set(ids))
    if not ids:
        return
    if len(ids) <= BULK_THRESHOLD:
        with transaction.atomic():
            for start in range(0, len(ids), BATCH):
                new = MapPoint.objects.filter(initiative_id__in=ids[start : start + BATCH])
                apply_deltas(cell_deltas([], new))
            bump_version()
        return
    with transaction.atomic(), connection.cursor() as cursor:
        changed = _changed_table(cursor, ids)
        _create_stage(cursor)
        _write_cells(cursor, changed, removed=0)
        cursor.execute(f"DROP TABLE {IDS}")
        cursor.execute(f"DROP TABLE {STAGE}")
        bump_version()
    analyze(changed=len(ids))


def _changed_table(cursor, ids: list[int]) -> str:
    """The (sorted) ids in a temporary table; returns the condition "point p is one of them"."""
    _create_temp(cursor, IDS, "id BIGINT PRIMARY KEY")
    insert_rows(IDS, ["id"], [(pk,) for pk in ids])
    cursor.execute(f"ANALYZE {IDS}")
    return f"p.initiative_id IN (SELECT id FROM {IDS})"  # noqa: S608 (no user input)


def changed_ids(model, column: str, chunk: list[int]) -> Q:
    """``model.column`` is one of the (sorted) ids of ``chunk``: a range of its index joined
    to the temporary table of changed ids (an array of 10,000 ids is scanned per row)."""
    quote = connection.ops.quote_name
    qualified = f"{quote(model._meta.db_table)}.{quote(column)}"
    sql = (
        f"{qualified} BETWEEN %s AND %s AND {qualified} IN "  # noqa: S608 (no user input)
        f"(SELECT id FROM {IDS} WHERE id BETWEEN %s AND %s)"
    )
    bounds = [chunk[0], chunk[-1]] * 2
    return Q(RawSQL(sql, bounds, output_field=BooleanField()))  # noqa: S611 (no user input)


def _create_temp(cursor, name: str, columns: str) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")


def _create_stage(cursor) -> None:
    _create_temp(cursor, STAGE, 'scope VARCHAR(8), zoom SMALLINT, cx INTEGER, cy INTEGER, '
                 '"count" BIGINT, x_sum BIGINT, y_sum BIGINT, id_sum BIGINT')  # fmt: skip


def _scopes_of_point() -> str:
    """A table expression of each point's scopes, "" (the whole map) first."""
    if connection.vendor == "postgresql":
        return (
            "unnest(CASE WHEN p.scopes = '' THEN ARRAY[''] "
            "ELSE string_to_array(' ' || p.scopes, ' ') END) AS s(scope)"
        )
    # SQLite: the space-separated scopes (t<id>, d<code>: no quote, no backslash) as a
    # JSON array read by json_each.
    return (
        "json_each(CASE WHEN p.scopes = '' THEN '[\"\"]' "
        "ELSE '[\"\",\"' || replace(p.scopes, ' ', '\",\"') || '\"]' END) AS s"
    )


def _stage_points(cursor, where: str, *, sign: int, table: str = STAGE) -> int:
    """Zoom-13 cells of the points matching ``where`` (alias p), times ``sign``, into
    ``table``; returns how many."""
    points = MapPoint._meta.db_table
    size = divisor(MAX_CELL_ZOOM, CELL_PX)
    scope = "s.scope" if connection.vendor == "postgresql" else "s.value"
    cursor.execute(
        f'INSERT INTO {table} (scope, zoom, cx, cy, "count", x_sum, y_sum, id_sum) '  # noqa: S608 (no user input)
        f"SELECT {scope}, {MAX_CELL_ZOOM}, p.x / {size}, p.y / {size}, {sign} * COUNT(*), "
        f"{sign} * SUM(p.x), {sign} * SUM(p.y), {sign} * SUM(p.initiative_id) "
        f"FROM {points} p, {_scopes_of_point()} WHERE {where} "
        f"GROUP BY {scope}, p.x / {size}, p.y / {size}"
    )
    return cursor.rowcount


def _derive_zooms(cursor, table: str) -> None:
    """Zooms 12..0 of ``table`` from its zoom 13, each from the one below (2×2 cells).

    Each zoom is aggregated from a temporary table holding only the zoom below, then
    appended to ``table``: reading the zoom below out of ``table`` itself rescanned the
    whole growing table at every zoom (13 scans of up to every cell)."""
    if connection.vendor == "postgresql":  # the aggregations fit in memory (no temp files)
        cursor.execute("SET LOCAL work_mem = '64MB'")
    below, above = LEVELS
    cursor.execute(f"DROP TABLE IF EXISTS {below}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {below} AS SELECT {CELL_COLUMNS} FROM {table} "  # noqa: S608 (no user input)
        f"WHERE zoom = {MAX_CELL_ZOOM}"
    )
    for zoom in reversed(range(MAX_CELL_ZOOM)):
        cursor.execute(f"DROP TABLE IF EXISTS {above}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {above} AS SELECT scope, {zoom} AS zoom, cx / 2 AS cx, "  # noqa: S608 (no user input)
            f"cy / 2 AS cy, {NAMED_SUMS} FROM {below} GROUP BY scope, cx / 2, cy / 2"
        )
        cursor.execute(
            f"INSERT INTO {table} ({CELL_COLUMNS}) SELECT {CELL_COLUMNS} FROM {above}"  # noqa: S608 (no user input)
        )
        below, above = above, below
    cursor.execute(f"DROP TABLE {below}")
    cursor.execute(f"DROP TABLE {above}")


def _write_cells(cursor, where: str, *, removed: int, ordered: bool = False) -> None:
    """Add the cells of the points matching ``where`` to MapCell; ``removed``: how many
    zoom-13 removals the stage already holds. ``ordered`` (a rebuild): into an empty
    MapCell, the cells are written in the order of its key (see ``rebuild``)."""
    cells = MapCell._meta.db_table
    if not removed and not MapCell.objects.exists():
        # An empty table (a rebuild, a first import): on PostgreSQL straight into MapCell,
        # its key's index built afterwards in one sort instead of one insertion per cell;
        # SQLite keeps that index, so the cells are appended to it in its order.
        with _without_cell_index(cursor):
            if not ordered and connection.vendor == "postgresql":
                _stage_points(cursor, where, sign=1, table=cells)
                _derive_zooms(cursor, cells)
                return
            _stage_points(cursor, where, sign=1)
            _derive_zooms(cursor, STAGE)
            cursor.execute(
                f"INSERT INTO {cells} ({CELL_COLUMNS}) SELECT {CELL_COLUMNS} FROM {STAGE} "  # noqa: S608 (no user input)
                "ORDER BY scope, zoom, cx, cy"
            )
        return
    _stage_points(cursor, where, sign=1)
    _derive_zooms(cursor, STAGE)
    # Old and new points of one cell are summed first: only real changes reach MapCell.
    # With nothing taken off (an import's new points), each cell is in the stage once:
    # no sums to take (they were a tenth of the upsert's time at a million).
    changes = (
        f"SELECT scope, zoom, cx, cy, {SUMS} FROM {STAGE} WHERE 1 = 1 "  # noqa: S608 (no user input)
        "GROUP BY scope, zoom, cx, cy "
        'HAVING SUM("count") <> 0 OR SUM(x_sum) <> 0 OR SUM(y_sum) <> 0 OR SUM(id_sum) <> 0 '
        if removed
        else f"SELECT {CELL_COLUMNS} FROM {STAGE} WHERE 1 = 1 "  # noqa: S608 (no user input)
    )
    cursor.execute(
        f'INSERT INTO {cells} (scope, zoom, cx, cy, "count", x_sum, y_sum, id_sum) {changes}'  # noqa: S608 (no user input)
        "ORDER BY scope, zoom, cx, cy "  # in index order: neighbouring cells share pages
        f'ON CONFLICT (scope, zoom, cx, cy) DO UPDATE SET "count" = {cells}."count" + '
        f'excluded."count", x_sum = {cells}.x_sum + excluded.x_sum, '
        f"y_sum = {cells}.y_sum + excluded.y_sum, id_sum = {cells}.id_sum + excluded.id_sum"
    )
    _delete_emptied(cursor, cells)


def _delete_emptied(cursor, cells: str) -> None:
    """Delete the cells that the stage's removals emptied.

    PostgreSQL's statistics say no cell has a count of 0, so for "count <= 0 AND key IN
    (stage)" it scanned MapCell and, for each emptied cell, the whole stage: hours for
    100,000 points taken off. There, each removal probes the cells' primary key instead
    (LATERAL … OFFSET 0 keeps that order) and the rows found go by their physical address
    (``ctid``: a TID scan; this transaction holds their locks since its upsert)."""
    if connection.vendor != "postgresql":
        cursor.execute(
            f'DELETE FROM {cells} WHERE "count" <= 0 AND (scope, zoom, cx, cy) IN '  # noqa: S608 (no user input)
            f'(SELECT scope, zoom, cx, cy FROM {STAGE} WHERE "count" < 0)'
        )
        return
    cursor.execute(
        f"DELETE FROM {cells} WHERE ctid = ANY(ARRAY(SELECT c.ctid FROM "  # noqa: S608 (no user input)
        f'(SELECT DISTINCT scope, zoom, cx, cy FROM {STAGE} WHERE "count" < 0) s '
        f"CROSS JOIN LATERAL (SELECT ctid FROM {cells} c WHERE c.scope = s.scope "
        f'AND c.zoom = s.zoom AND c.cx = s.cx AND c.cy = s.cy AND c."count" <= 0 OFFSET 0) c))'
    )


# Sums of bigints as bigints (PostgreSQL's SUM(bigint) is a slower numeric).
SUMS = ", ".join(f"CAST(SUM({c}) AS BIGINT)" for c in ('"count"', "x_sum", "y_sum", "id_sum"))
NAMED_SUMS = ", ".join(
    f"CAST(SUM({c}) AS BIGINT) AS {c}" for c in ('"count"', "x_sum", "y_sum", "id_sum")
)
CELL_COLUMNS = 'scope, zoom, cx, cy, "count", x_sum, y_sum, id_sum'
LEVELS = ("map_cell_level_a", "map_cell_level_b")  # the zoom below, the zoom being derived


@contextmanager
def _without_cell_index(cursor):
    """PostgreSQL: drop MapCell's primary key and re-create it (same name and definition as
    the migration's) after the block, inside the transaction, so nobody sees the table
    without it. SQLite cannot drop a primary key: the cells go in in its order instead."""
    if connection.vendor != "postgresql":
        yield
        return
    cells = connection.ops.quote_name(MapCell._meta.db_table)
    name = f"{MapCell._meta.db_table}_pkey"
    cursor.execute(f"ALTER TABLE {cells} DROP CONSTRAINT {name}")
    yield
    cursor.execute(f"ALTER TABLE {cells} ADD CONSTRAINT {name} PRIMARY KEY (scope, zoom, cx, cy)")


def analyze(*, changed: int | None = None) -> None:
    """Fresh planner statistics after a bulk load (SQLite never gathers them by itself).

    ``changed``: how many points a bulk refresh wrote. PostgreSQL's autovacuum analyses a
    table once a tenth of it changed, within a minute: it is left to do so unless the
    change at least doubles the map (a first import: without statistics the planner takes
    an empty table for a small one). Analysing a million-point map took ~1 s of an import.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and changed is not None:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [MapPoint._meta.db_table],
            )
            known = cursor.fetchone()[0]
            if known > 0 and changed < known:
                return
        for model in (MapPoint, MapCell):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def public_rows() -> Iterator[tuple]:
    queryset = Initiative.objects.public().located().order_by("id")
    return queryset.values_list(*POINT_FIELDS).iterator(chunk_size=10_000)


def theme_rows() -> Iterator[tuple]:
    through = Initiative.themes.through
    queryset = through.objects.order_by("initiative_id")
    return queryset.values_list(*THEME_FIELDS).iterator(chunk_size=10_000)


def points_with_themes() -> Iterator[tuple]:
    """Values of the points of public initiatives (POINT_COLUMNS), merged with their themes,
    both read in id order (bounded memory)."""
    themes = theme_rows()
    pending = next(themes, None)
    for row in public_rows():
        found: dict = {}
        while pending is not None and pending[0] <= row[0]:
            if pending[0] == row[0]:
                add_theme(found, *pending[1:])
            pending = next(themes, None)
        yield point_values(row, found)


def rebuild_points(*, progress=None) -> int:
    """Projection needs log/sin, which SQLite lacks without extensions: done here, in batches."""
    table = MapPoint._meta.db_table
    count, batch = 0, []
    for point in points_with_themes():
        batch.append(point)
        if len(batch) == 10_000:
            insert_rows(table, POINT_COLUMNS, batch)
            count += len(batch)
            batch = []
            if progress:
                progress(count)
    insert_rows(table, POINT_COLUMNS, batch)
    return count + len(batch)


def rebuild_cells() -> None:
    """Every cell from the points (MapCell empty): the bulk path with no point taken off.

    Written in the order of the cells' key, so that the sorted upsert of a later
    import walks the table's pages in order instead of jumping across all of them (at a
    million initiatives the table is several times PostgreSQL's default shared_buffers)."""
    with connection.cursor() as cursor:
        _create_stage(cursor)
        _write_cells(cursor, "1 = 1", removed=0, ordered=True)
        cursor.execute(f"DROP TABLE {STAGE}")


# --- signals ----------------------------------------------------------------------------


def on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh([instance.pk])


def on_delete(sender, instance, **kwargs):
    remove([instance.pk])


def on_themes_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        refresh([instance.pk])
    elif pk_set:  # theme.initiatives.add(…): pk_set holds initiative ids
        refresh(pk_set)
    elif action == "post_clear":
        rebuild()


def on_initiatives_changed(sender, ids=(), placed=(), **kwargs):
    """``placed``: ids among ``ids`` already on the map (see ``add_points``)."""
    placed = set(placed)
    refresh([pk for pk in ids if pk not in placed])


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_save, pre_delete

    from essaim.initiatives.signals import initiatives_changed

    uid = "initiatives.clustering"
    post_save.connect(on_save, sender=Initiative, dispatch_uid=uid)
    pre_delete.connect(on_delete, sender=Initiative, dispatch_uid=uid)
    m2m_changed.connect(on_themes_changed, sender=Initiative.themes.through, dispatch_uid=uid)
    initiatives_changed.connect(on_initiatives_changed, sender=Initiative, dispatch_uid=uid)


# --- reads ------------------------------------------------------------------------------

MAX_FEATURES = 400  # ~50 KB of clusters, well under the 100 KB budget
MAX_GRID = 1_500  # grid cells a bbox may span before we use a coarser zoom
POINT_CAP = 250  # individual initiatives sent for one view above MAX_CELL_ZOOM
TEXT_LIMIT = 2_000  # matches of a text filter aggregated on the map
RESPONSE_LIMIT = 100_000  # bytes


@dataclass(frozen=True)
class MapFilter:
    """What the visitor filtered on. ``theme_ids``: a theme and its sub-themes."""

    theme: Theme | None = None
    territory: AnyTerritory | None = None
    q: str = ""

    @property
    def theme_ids(self) -> list[int]:
        if self.theme is None:
            return []
        return self.theme.family_ids()

    def scopes(self) -> list[str] | None:
        """The pre-aggregated scopes that answer this filter exactly, or None (live)."""
        if self.q or (self.theme and self.territory):
            return None
        if self.theme:
            return [f"t{self.theme.pk}"]
        if self.territory is None:
            return [""]
        if self.territory.level == Level.DEPARTEMENT:
            return [f"d{self.territory.pk}"]
        if self.territory.level == Level.REGION:
            return [f"d{code}" for code in self.territory.departements.values_list("pk", flat=True)]
        return None

    def points(self):
        """The MapPoints matching the filter (all public by construction)."""
        points = MapPoint.objects.all()
        if self.theme:
            # A correlated EXISTS: the view's index drives, each point probes its themes
            # (an IN (…) would read every initiative of the theme first).
            through = Initiative.themes.through.objects.filter(
                initiative_id=OuterRef("initiative_id"), theme_id__in=self.theme_ids
            )
            points = points.filter(Exists(through))
        if self.territory is not None:
            points = points.filter(territory_filter(self.territory))
        if self.q:
            matches = Initiative.objects.public().filter(name__icontains=self.q)
            points = points.filter(initiative_id__in=matches.values("pk")[:TEXT_LIMIT])
        return points


def territory_filter(territory: AnyTerritory) -> Q:
    if territory.level == Level.COMMUNE:
        return Q(commune=territory.pk)
    if territory.level == Level.DEPARTEMENT:
        return Q(departement=territory.pk)
    if territory.level == Level.REGION:
        return Q(departement__in=territory.departements.values("pk"))
    return Q(commune__in=territory.communes.values("pk"))


def in_view(points, bbox: BBox):
    x_min, y_min, x_max, y_max = bbox.ref_pixels()
    return points.filter(x__gte=x_min, x__lte=x_max, y__gte=y_min, y__lte=y_max)


def grid_range(bbox: BBox, zoom: int) -> tuple[int, int, int, int]:
    size = divisor(zoom, CELL_PX)
    x_min, y_min, x_max, y_max = bbox.ref_pixels()
    return x_min // size, y_min // size, x_max // size, y_max // size


def grid_zoom(bbox: BBox, zoom: int) -> int:
    """``zoom``, or a coarser one when the box spans more cells than a screen shows."""
    while zoom > 0:
        cx0, cy0, cx1, cy1 = grid_range(bbox, zoom)
        if (cx1 - cx0 + 1) * (cy1 - cy0 + 1) <= MAX_GRID:
            break
        zoom -= 1
    return zoom


CellRow = tuple[int, int, int, int, int, int]  # cx, cy, count, x_sum, y_sum, id_sum


def stored_cells(scopes: list[str], zoom: int, bbox: BBox) -> list[CellRow]:
    cx0, cy0, cx1, cy1 = grid_range(bbox, zoom)
    cells = MapCell.objects.filter(zoom=zoom, cx__range=(cx0, cx1), cy__range=(cy0, cy1))
    if len(scopes) == 1:
        cells = cells.filter(scope=scopes[0])
        rows = cells.values_list("cx", "cy", "count", "x_sum", "y_sum", "id_sum")
    else:
        rows = (
            cells.filter(scope__in=scopes)
            .values("cx", "cy")
            .annotate(n=Sum("count"), xs=Sum("x_sum"), ys=Sum("y_sum"), ids=Sum("id_sum"))
            .values_list("cx", "cy", "n", "xs", "ys", "ids")
        )
    return as_ints(rows[: MAX_FEATURES + 1])


def as_ints(rows) -> list[CellRow]:
    """PostgreSQL sums bigints as numeric (Decimal in Python): back to integers."""
    return [tuple(int(value) for value in row) for row in rows]


def live_cells(points, zoom: int, bbox: BBox) -> list[CellRow]:
    size = divisor(zoom, CELL_PX)
    rows = (
        in_view(points, bbox)
        .annotate(cx=F("x") / size, cy=F("y") / size)
        .values("cx", "cy")
        .annotate(n=Count("pk"), xs=Sum("x"), ys=Sum("y"), ids=Sum("initiative_id"))
        .values_list("cx", "cy", "n", "xs", "ys", "ids")
        .order_by()
    )
    return as_ints(rows[: MAX_FEATURES + 1])


def cells_for(filters: MapFilter, zoom: int, bbox: BBox) -> tuple[int, list[CellRow]]:
    """(the zoom actually used, its cells), coarsening until the view fits MAX_FEATURES."""
    scopes = filters.scopes()
    zoom = grid_zoom(bbox, min(zoom, MAX_CELL_ZOOM) if scopes is not None else zoom)
    while True:
        if scopes is not None:
            rows = stored_cells(scopes, zoom, bbox)
        else:
            rows = live_cells(filters.points(), zoom, bbox)
        if len(rows) <= MAX_FEATURES or zoom == 0:
            return zoom, rows[:MAX_FEATURES]
        zoom -= 1


def map_features(*, bbox: BBox, zoom: int, filters: MapFilter) -> dict:
    """The GeoJSON FeatureCollection of one map view: clusters and single initiatives.

    Never above RESPONSE_LIMIT bytes: a view too crowded for its zoom is aggregated at
    a coarser one.
    """
    if zoom > MAX_CELL_ZOOM and few_points(filters, bbox):
        points = in_view(filters.points(), bbox).values_list("initiative_id", "x", "y")
        points = list(points[: POINT_CAP + 1])
        if len(points) <= POINT_CAP:
            view = collection(initiative_features(points), zoom)
            if fits(view):
                return view
    while True:
        used, rows = cells_for(filters, zoom, bbox)
        singles = [(ids, xs, ys) for _, _, n, xs, ys, ids in rows if n == 1]
        clusters = [cluster_feature(row, used) for row in rows if row[2] > 1]
        view = collection(clusters + initiative_features(singles), used)
        if used == 0 or fits(view):
            return view
        zoom = used - 1


def few_points(filters: MapFilter, bbox: BBox) -> bool:
    """Whether the view may hold POINT_CAP points or fewer (an upper bound from the cells
    of the deepest zoom, so that crowded views skip reading points altogether)."""
    scopes = filters.scopes()
    if scopes is None:
        return True
    rows = stored_cells(scopes, MAX_CELL_ZOOM, bbox)
    return len(rows) <= MAX_FEATURES and sum(row[2] for row in rows) <= POINT_CAP


def fits(view: dict) -> bool:
    """Whether the view's JSON stays under RESPONSE_LIMIT; serialises only when a generous
    upper bound (UTF-8 names, slug in the URL, coordinates) does not already say so."""
    bound = 0
    for feature in view["features"]:
        properties = feature["properties"]
        themes = sum(len(theme) + 3 for theme in properties.get("themes", ()))
        bound += 160 + 3 * len(properties.get("name", "")) + themes
    if bound <= RESPONSE_LIMIT:
        return True
    body = json.dumps(view, ensure_ascii=False, separators=(",", ":"))
    return len(body.encode()) <= RESPONSE_LIMIT


def collection(features: list[dict], zoom: int) -> dict:
    return {"type": "FeatureCollection", "zoom": zoom, "features": features}


def point_geometry(x: float, y: float) -> dict:
    lon, lat = from_ref_pixel(x, y)
    return {"type": "Point", "coordinates": [rounded(lon), rounded(lat)]}


def cluster_feature(row: CellRow, zoom: int) -> dict:
    _, _, count, x_sum, y_sum, _ = row
    return {
        "type": "Feature",
        "geometry": point_geometry(x_sum / count, y_sum / count),
        "properties": {
            "cluster": True,
            "count": count,
            "expansion_zoom": min(zoom + 2, 18),
        },
    }


def initiative_features(points: list[tuple[int, int, int]]) -> list[dict]:
    """Features of single initiatives from (id, x, y), with their names, links and themes."""
    # One reverse() for the whole view: detail URLs differ only by their slug.
    url = reverse("initiatives:detail", kwargs={"slug": "SLUG"})
    labels = MapPoint.objects.filter(initiative_id__in=[pk for pk, _, _ in points])
    labels = dict(labels.values_list("initiative_id", "label"))
    features = []
    for pk, x, y in sorted(points):
        if pk not in labels:  # taken off the map since the cells were read
            continue
        label = json.loads(labels[pk])
        properties = {
            "id": pk,
            "name": label["name"],
            "url": url.replace("SLUG", label["slug"]),
            "themes": label["themes"],
        }
        features.append({"type": "Feature", "geometry": point_geometry(x, y),
                         "properties": properties})  # fmt: skip
    return features


LIST_ORDERS = ("nom", "recent", "distance")
LIST_CAP = 1000  # beyond it the list says "more than 1,000"


def initiatives_in_view(*, bbox: BBox, filters: MapFilter, order: str = "nom", limit: int = 20):
    """(the first ``limit`` public initiatives in the view in ``order``, the total in view
    capped at LIST_CAP + 1). Orders: ``nom``, ``recent`` (newest first), ``distance``
    (nearest to the view's centre first — "près de moi" centres the view on the visitor).

    The points counted are kept: up to LIST_CAP of them are sorted here or by id, so that a
    sparse view (a theme, a village) never makes the database walk an index for matches
    that are not there; a crowded view takes the first ``limit`` from an index instead.
    """
    points = in_view(filters.points(), bbox)
    found = list(points.order_by().values_list("initiative_id", "x", "y")[: LIST_CAP + 1])
    crowded = len(found) > LIST_CAP
    initiatives = Initiative.objects.public().select_related("commune").prefetch_related("themes")
    if crowded and order in ("nom", "recent") and connection.vendor == "sqlite":
        return list(_first_on_map(initiatives, points, order)[:limit]), len(found)
    if order == "nom":
        chosen = (
            points.order_by().values("initiative_id") if crowded else [pk for pk, _, _ in found]
        )
        return list(initiatives.filter(pk__in=chosen).order_by("name", "pk")[:limit]), len(found)
    if order == "distance":
        ids = nearest_ids(points, bbox, limit) if crowded else nearest_of(found, bbox, limit)
    elif crowded:
        ids = list(
            points.order_by("-initiative_id").values_list("initiative_id", flat=True)[:limit]
        )
    else:
        ids = sorted((pk for pk, _, _ in found), reverse=True)[:limit]
    rows = initiatives.in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows], len(found)


def _first_on_map(initiatives, points, order: str):
    """``initiatives`` with a point among ``points``, by name or newest first, for SQLite.

    Given ``id IN (points of the view)`` or the points ordered by id, SQLite reads every
    point of a crowded view through the coordinates' index and sorts them all (3–4 s at a
    million). Probing each initiative's point while walking the order's own index stops at
    the ``limit``-th: p95 72 ms by name, 39 ms newest first, at a million. PostgreSQL plans
    the other forms well, and this probe was up to twice slower there."""
    on_map = initiatives.filter(Exists(points.filter(initiative_id=OuterRef("pk"))))
    return on_map.order_by("name", "pk") if order == "nom" else on_map.order_by("-pk")


def view_centre(bbox: BBox) -> tuple[int, int]:
    x_min, y_min, x_max, y_max = bbox.ref_pixels()
    return (x_min + x_max) // 2, (y_min + y_max) // 2


def nearest_of(points: list[tuple[int, int, int]], bbox: BBox, limit: int) -> list[int]:
    """Ids of the ``limit`` (id, x, y) nearest the view's centre, nearest first."""
    cx, cy = view_centre(bbox)
    nearest = heapq.nsmallest(
        limit, points, key=lambda point: ((point[1] - cx) ** 2 + (point[2] - cy) ** 2, point[0])
    )
    return [pk for pk, _, _ in nearest]


def nearest_ids(points, bbox: BBox, limit: int) -> list[int]:
    """Ids of the ``limit`` points nearest the view's centre, nearest first.

    Searched in squares growing fourfold from 1/32 of the view, so that a crowded view
    sorts a few hundred points instead of all of them: a square's answer is final once its
    ``limit``-th point lies within the square's inscribed circle (Web-Mercator pixels keep
    distances in proportion across one view).
    """
    x_min, y_min, x_max, y_max = bbox.ref_pixels()
    cx, cy = view_centre(bbox)
    half = max(x_max - x_min, y_max - y_min, 64) // 64
    dx, dy = Cast(F("x") - cx, FloatField()), Cast(F("y") - cy, FloatField())
    while True:
        square = points.filter(x__range=(cx - half, cx + half), y__range=(cy - half, cy + half))
        rows = list(
            square.annotate(d2=dx * dx + dy * dy)
            .order_by("d2", "initiative_id")
            .values_list("initiative_id", "d2")[:limit]
        )
        covers_view = half >= max(cx - x_min, x_max - cx, cy - y_min, y_max - cy)
        if covers_view or (len(rows) == limit and rows[-1][1] <= half * half):
            return [pk for pk, _ in rows]
        half *= 4


def counts_by_departement() -> dict[str, int]:
    """Public initiatives per département code, from the zoom-0 cells (a few hundred rows).

    The scopes are named one by one: ``LIKE 'd%'`` cannot use the cells' index under a
    non-C collation and scanned every cell (0.4 s at a million initiatives)."""
    scopes = Departement.objects.annotate(scope=Concat(Value("d"), "pk")).values("scope")
    rows = (
        MapCell.objects.filter(zoom=0, scope__in=scopes)
        .values("scope")
        .annotate(n=Sum("count"))
        .values_list("scope", "n")
        .order_by()
    )
    return {scope[1:]: n for scope, n in rows}


def counts_by_epci(region_code: str) -> dict[str, int]:
    """Public initiatives per EPCI of one région: its points grouped by commune, an
    index-only read of (departement, commune) (≈ 15 ms for a région at a million)."""
    from essaim.territories.models import Commune

    per_commune = dict(
        MapPoint.objects.filter(
            departement__in=Departement.objects.filter(region_id=region_code).values("pk")
        )
        .values("commune")
        .annotate(n=Count("pk"))
        .values_list("commune", "n")
    )
    counts: dict[str, int] = defaultdict(int)
    communes = Commune.objects.filter(pk__in=list(per_commune)).values_list("pk", "epci_id")
    for code, epci in communes:
        if epci:
            counts[epci] += per_commune[code]
    return dict(counts)


def count_public(filters: MapFilter) -> int:
    """How many public initiatives match: from the zoom-0 cells when scopes answer (one
    small read at any size), else from the points (bounded by the filter's own limits)."""
    scopes = filters.scopes()
    if scopes is None:
        return filters.points().count()
    cells = MapCell.objects.filter(zoom=0, scope__in=scopes)
    return cells.aggregate(n=Sum("count"))["n"] or 0


def newest_on_map(filters: MapFilter, limit: int):
    """The ``limit`` newest public initiatives on the map matching ``filters``, chosen
    among the map's points (indexed by commune and département) so that a small territory
    never walks the newest initiatives of the whole country looking for its own. One query."""
    ids = filters.points().order_by("-initiative_id").values("initiative_id")[:limit]
    return Initiative.objects.filter(pk__in=ids).order_by("-pk")


def newest_public(filters: MapFilter):
    """Public initiatives matching the filters, newest first (the primary key's order, so
    that the first page stays an index read at a million rows)."""
    initiatives = Initiative.objects.public()
    if filters.theme:
        through = Initiative.themes.through.objects.filter(
            initiative_id=OuterRef("pk"), theme_id__in=filters.theme_ids
        )
        initiatives = initiatives.filter(Exists(through))
    if filters.territory is not None:
        initiatives = initiatives.filter(commune_filter(filters.territory))
    if filters.q:
        initiatives = initiatives.filter(name__icontains=filters.q)
    return initiatives.order_by("-pk")


# --- statistics (the observatory's dashboards) -------------------------------------------


def counts_by_theme(filters: MapFilter) -> dict[int, int]:
    """Public initiatives per theme id (a theme counts its sub-themes' initiatives).

    Without a territory, the zoom-0 cells of every theme scope answer (one small read);
    within a territory, the territory's points are read once and their scopes counted.
    """
    if filters.territory is None and not filters.q:
        rows = (
            MapCell.objects.filter(zoom=0, scope__startswith="t")
            .values("scope")
            .annotate(n=Sum("count"))
            .values_list("scope", "n")
        )
        return {int(scope[1:]): n for scope, n in rows}
    counts: dict[int, int] = defaultdict(int)
    for scopes in filters.points().values_list("scopes", flat=True).iterator(chunk_size=5000):
        for scope in scopes.split():
            if scope.startswith("t"):
                counts[int(scope[1:])] += 1
    return dict(counts)


def counts_by_commune(filters: MapFilter) -> dict[str, int]:
    """Public initiatives per commune code, for the points matching ``filters``."""
    rows = filters.points().values("commune").annotate(n=Count("pk")).values_list("commune", "n")
    return {code: n for code, n in rows if code}
