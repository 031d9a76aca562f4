"""The search index of the bench's initiatives, written in bulk.

The project's path (the backend's ``add_bulk``) runs at ~400 initiatives/s: model
instances, one SQL expression per tsvector, and modelsearch's title-norm refresh, which
scans the whole index after every batch. Here the same texts are built from plain rows
with the project's analysis (``essaim.search.text.analyse``, in ``search_fields`` order)
and written with PostgreSQL's ``COPY`` into a staging table, turned into tsvectors by one
``INSERT … SELECT``, or with SQLite's ``executemany`` (its triggers fill FTS5).
``differences()`` compares, for a few initiatives, the rows of both paths: the bench runs
it before writing a million rows (and ``tests/search/test_bulk_index.py`` on both
databases), so the bulk rows stay the rows the project writes.

Specific to ``Initiative``'s ``search_fields``: name (boost 3), summary (2), description,
organisation name, autocomplete on the name, the commune's name, the themes' names.
"""

from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from essaim.common.bulk import insert_rows
from essaim.search.text import analyse

CHUNK = 20_000
TEXT_COLUMNS = ["name", "summary", "description", "organisation", "commune", "themes"]


class Texts(NamedTuple):
    """One initiative's analysed texts, as the project's indexer prepares them."""

    object_id: str
    name: str
    summary: str
    description: str
    organisation: str
    commune: str | None  # None: no commune, so no text at all (not an empty one)
    themes: list[str]  # in the themes' default order, as ``themes.all()`` gives them
    autocomplete: str  # the name folded, not stemmed

    def body_texts(self) -> list[str]:
        """The body's texts in ``search_fields`` order."""
        commune = [] if self.commune is None else [self.commune]
        return [self.name, self.summary, self.description, self.organisation, *commune,
                *self.themes]  # fmt: skip


def index_initiatives(after_pk: int = 0, *, progress=None) -> int:
    """Write the index entries of every initiative with a primary key above ``after_pk``
    (none of them may be indexed yet); returns how many."""
    from essaim.initiatives.models import Initiative

    count, last = 0, after_pk
    while ids := list(
        Initiative.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK]
    ):
        with transaction.atomic():
            write_entries(_texts(ids[0], ids[-1]))
        count, last = count + len(ids), ids[-1]
        if progress:
            progress(count)
    return count


def write_entries(texts: list[Texts]) -> None:
    """Index rows for ``texts`` (``_texts``), none of them indexed yet."""
    from essaim.initiatives.models import Initiative

    content_type = ContentType.objects.get_for_model(Initiative).pk
    if connection.vendor == "postgresql":
        _write_postgres(content_type, texts)
    else:
        _write_sqlite(content_type, texts)


def differences(pks: list[int]) -> list[str]:
    """Index rows of ``pks`` written by the project's path and by this one, where they
    differ (empty: identical). Leaves the project's rows in place."""
    from wagtail.search.backends import get_search_backend

    from essaim.initiatives.models import Initiative

    objects = Initiative.objects.filter(pk__in=pks).select_related("commune")
    get_search_backend().add_bulk(Initiative, list(objects.prefetch_related("themes")))
    project = _entries(pks)
    with transaction.atomic():
        _delete_entries(pks)
        for pk in pks:
            write_entries(_texts(pk, pk))
        bulk = _entries(pks)
        transaction.set_rollback(True)  # keep the project's rows
    return [
        f"{pk}: project {project.get(pk)!r} != bulk {bulk.get(pk)!r}"
        for pk in pks
        if project.get(pk) != bulk.get(pk)
    ]


def _texts(first: int, last: int) -> list[Texts]:
    """Analysed texts of the initiatives whose primary key is in [first, last]."""
    from essaim.initiatives.models import Initiative

    themes: dict[int, list[str]] = {}
    through = Initiative.themes.through.objects.filter(initiative__pk__range=(first, last))
    for initiative_id, name in through.order_by(
        "initiative_id", "theme__position", "theme__name"
    ).values_list("initiative_id", "theme__name"):
        themes.setdefault(initiative_id, []).append(analyse(name))
    rows = (
        Initiative.objects.filter(pk__range=(first, last))
        .order_by("pk")
        .values_list("pk", "name", "summary", "description", "organisation_name", "commune__name")
    )
    return [
        Texts(str(pk), analyse(name), analyse(summary), analyse(description),
              analyse(organisation), None if commune is None else analyse(commune),
              themes.get(pk, []), analyse(name, stem=False))
        for pk, name, summary, description, organisation, commune in rows
    ]  # fmt: skip


def _write_sqlite(content_type: int, texts: list[tuple]) -> None:
    from modelsearch.conf import get_app_config

    table = get_app_config().get_model("IndexEntry")._meta.db_table
    # modelsearch's SQLite indexer joins every value with a space, empty ones included.
    rows = [
        (content_type, row.object_id, "", row.autocomplete, " ".join(row.body_texts()), 1.0)
        for row in texts
    ]
    columns = ["content_type_id", "object_id", "title", "autocomplete", "body", "title_norm"]
    insert_rows(table, columns, rows)


def _write_postgres(content_type: int, texts: list[tuple]) -> None:
    from modelsearch.backends.database.postgres.weights import get_weight
    from modelsearch.conf import get_app_config
    from wagtail.search.backends import get_search_backend

    table = get_app_config().get_model("IndexEntry")._meta.db_table
    backend = get_search_backend()
    staging = [
        (row.object_id, row.name, row.summary, row.description, row.organisation,
         row.commune or "", " ".join(row.themes), row.autocomplete,
         " ".join(text for text in row.body_texts() if text))
        for row in texts
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS search_bulk_entries (object_id text, "
            "name text, summary text, description text, organisation text, commune text, "
            "themes text, autocomplete text, body_text text)"
        )
        cursor.execute("DELETE FROM search_bulk_entries")
    columns = ["object_id", *TEXT_COLUMNS, "autocomplete", "body_text"]
    insert_rows("search_bulk_entries", columns, staging)
    # The project's vector is one setweight(to_tsvector(…)) per non-empty text, joined
    # with ||. Empty texts give empty vectors (no position shift), and adjacent texts of
    # one weight equal one vector of their joined text: the same tsvector.
    weights = [get_weight(3), get_weight(2), *[get_weight(None)] * 4]
    config = backend.config
    body = " || ".join(
        f"setweight(to_tsvector('{config}', {column}), '{weight}')"
        for column, weight in zip(TEXT_COLUMNS, weights, strict=True)
    )
    autocomplete = f"setweight(to_tsvector('{backend.autocomplete_config}', autocomplete), 'D')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, "  # noqa: S608 (constants, no user input)
            "title_norm, title_text, body_text) "
            f"SELECT %s, object_id, to_tsvector(''), {autocomplete}, {body}, 1.0, '', body_text "
            "FROM search_bulk_entries",
            [content_type],
        )


def _entries(pks: list[int]) -> dict[str, tuple]:
    from modelsearch.conf import get_app_config

    from essaim.initiatives.models import Initiative

    table = get_app_config().get_model("IndexEntry")._meta.db_table
    content_type = ContentType.objects.get_for_model(Initiative).pk
    text = "::text" if connection.vendor == "postgresql" else ""
    extra = ", title_text, body_text" if connection.vendor == "postgresql" else ""
    marks = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT object_id, title{text}, autocomplete{text}, body{text}, title_norm{extra} "  # noqa: S608 (constants)
            f"FROM {table} WHERE content_type_id = %s AND object_id IN ({marks})",
            [content_type, *map(str, pks)],
        )
        return {int(row[0]): row[1:] for row in cursor.fetchall()}


def _delete_entries(pks: list[int]) -> None:
    from modelsearch.conf import get_app_config

    from essaim.initiatives.models import Initiative

    index_entry = get_app_config().get_model("IndexEntry")
    content_type = ContentType.objects.get_for_model(Initiative).pk
    index_entry.objects.filter(content_type_id=content_type, object_id__in=map(str, pks)).delete()
