"""Importing initiatives from CSV, GeoJSON and GoGoCarto JSON, by file or URL.

``run_import(run=ImportRun)`` reads ``run.location`` once, in one transaction: every
record is validated (all errors named by line or feature) and, while none has failed,
written in batches; any error rolls the whole import back, so nothing is half-imported.
The CSV path streams rows, so memory does not grow with the file. After commit:
``initiatives_changed`` is sent with the ids written, and the search index is refreshed
by a background task.
"""

import contextlib
import gc
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from essaim.initiatives import clustering
from essaim.initiatives.imports.readers import (
    READERS,
    InputError,
    copy_to_temp,
    fetch,
    guess_format,
)
from essaim.initiatives.imports.records import Resolver, normalise
from essaim.initiatives.imports.writer import Writer
from essaim.initiatives.models import ImportRun, ImportSource, Initiative
from essaim.initiatives.signals import initiatives_changed

BATCH = 1000
PROGRESS_EVERY = 5000
MAX_MESSAGES = 20
Progress = Callable[[ImportRun, str], None]


class ImportFailed(Exception):
    """Bad input: nothing was written. ``str(exc)`` names the lines or features at fault."""


# An uploaded file deleted after its retention: "fichier supprimé : <original name>".
PURGED = "fichier supprimé : "


def run_import(*, run: ImportRun, progress: Progress | None = None) -> ImportRun:
    """Validate then write ``run``'s data; raises ImportFailed (database untouched) on bad input."""
    progress = progress or (lambda run, message: None)
    path, temporary = _local_copy(run.location)
    try:
        read = _reader(run, path)
        resolver = Resolver().load()  # before gc.freeze() below
        # The look-up tables and everything loaded so far live through the import: out of
        # the garbage collector's sight, whose full passes scanned them again and again
        # (~1 s of CPU per 100,000 rows).
        gc.freeze()
        warnings = _import(run, read, resolver, progress)
        _finish(run, warnings)
    except (ImportFailed, InputError) as exc:
        _fail(run, str(exc))
        raise ImportFailed(str(exc)) from None
    finally:
        gc.unfreeze()
        if temporary:
            path.unlink(missing_ok=True)
    return run


def purge_uploaded_files(*, now=None) -> int:
    """Delete the files uploaded for imports finished more than ESSAIM_IMPORT_FILE_DAYS
    ago (they may hold contacts the import left out); the run keeps its report and says
    the file is gone. Returns the number of files deleted."""
    since = (now or timezone.now()) - timedelta(days=settings.ESSAIM_IMPORT_FILE_DAYS)
    finished = ImportRun.objects.filter(finished_at__lt=since, location__startswith="storage:")
    purged = 0
    for run in finished.only("pk", "location").iterator():
        default_storage.delete(run.location.removeprefix("storage:"))
        run.location = PURGED + run.location.removeprefix("storage:").split("-", 1)[-1]
        run.save(update_fields=["location"])
        purged += 1
    return purged


def _local_copy(location: str) -> tuple[Path, bool]:
    """A local file to read twice: downloaded, copied from storage, or the path itself."""
    try:
        if location.startswith(("http://", "https://")):
            return fetch(location), True
        if location.startswith("storage:"):
            with default_storage.open(location.removeprefix("storage:")) as stream:
                return copy_to_temp(stream), True
    except InputError as exc:
        raise ImportFailed(str(exc)) from None
    if location.startswith(PURGED):
        days = settings.ESSAIM_IMPORT_FILE_DAYS
        raise ImportFailed(f"Le fichier importé a été supprimé après {days} jours : "
                           "déposez-le à nouveau.")  # fmt: skip
    path = Path(location)
    if not path.is_file():
        raise ImportFailed(f"Fichier introuvable : {location}")
    return path, False


def _reader(run: ImportRun, path: Path):
    fmt = run.fmt or guess_format(path, run.location)
    if fmt not in READERS:
        raise ImportFailed(f"Format inconnu : {fmt} (csv, geojson ou gogocarto).")
    run.fmt = fmt
    options = {k: v for k, v in run.options.items() if k in {"delimiter", "encoding", "mapping"}}
    return partial(READERS[fmt], path, **options)


def _import(run: ImportRun, read, resolver: Resolver, progress: Progress) -> list[str]:
    """One streaming pass in one transaction: batches are written while every record so far
    is valid; after the first error the rest is only validated, then everything rolls back."""
    _set_state(run, ImportRun.State.WRITING)
    publish = run.source.publish_directly and not run.pending
    writer = Writer(source=run.source, publish=publish, by=run.started_by)
    errors, warnings, keys, batch, count = [], [], {}, [], 0
    with transaction.atomic():
        for count, (where, raw) in enumerate(read(), start=1):
            row = normalise(where, raw, resolver)
            errors += row.errors
            warnings += row.warnings[: MAX_MESSAGES - len(warnings)]
            key = row.values.get("source_key")
            if key in keys:
                errors.append(f"{where}, champ « id » : « {key} » déjà vu ({keys[key]}).")
            keys[key] = where
            if not errors:
                batch.append(row)
            if len(batch) == BATCH:
                writer.write(batch)
                batch = []
            if count % PROGRESS_EVERY == 0:
                written = writer.counts.created + writer.counts.updated
                progress(run, f"{count} enregistrements lus, {written} écrits")
        run.rows_read = count
        if errors:
            run.errors = len(errors)
            raise ImportFailed(_summary("Import refusé, rien n'a été écrit", errors))
        if not count:
            raise ImportFailed("Aucun enregistrement à importer.")
        writer.write(batch)
        if run.full:
            progress(run, "archivage des fiches disparues de la source")
            writer.archive_gone()
        ImportSource.objects.filter(pk=run.source_id).update(last_imported_at=timezone.now())
        _after_commit(run, writer.counts, progress)
        progress(run, f"{count} enregistrements lus et vérifiés, enregistrement en base")
        if placed := writer.counts.placed_ids:  # in the transaction: map and records together
            progress(run, f"mise à jour de la carte ({len(placed)} fiches modifiées)")
            clustering.place_points(placed)
    counts = writer.counts
    run.created, run.updated, run.unchanged = counts.created, counts.updated, counts.unchanged
    run.proposed, run.archived = counts.proposed, counts.archived
    return warnings + counts.warnings


def _after_commit(run: ImportRun, counts, progress: Progress) -> None:
    from essaim.initiatives import tasks

    ids, placed = counts.changed_ids, counts.placed_ids

    def refresh_map():
        if len(ids) > len(placed):  # seconds past clustering.BULK_THRESHOLD ids
            progress(run, f"mise à jour de la carte ({len(ids) - len(placed)} fiches modifiées)")
        initiatives_changed.send(sender=Initiative, ids=ids, placed=placed)

    since = run.started_at.isoformat()
    transaction.on_commit(refresh_map)
    transaction.on_commit(
        lambda: tasks.index_imported.enqueue(source_id=run.source_id, since=since)
    )


def _finish(run: ImportRun, warnings: list[str]) -> None:
    run.state, run.finished_at = ImportRun.State.DONE, timezone.now()
    run.message = (
        f"{run.rows_read} lus : {run.created} créés, {run.updated} mis à jour, "
        f"{run.unchanged} inchangés, {run.proposed} versions proposées (modifiées localement), "
        f"{run.archived} disparus de la source archivés."
    )
    if warnings:
        run.message += "\n" + _summary("Avertissements", warnings)
    run.save()


def _fail(run: ImportRun, message: str) -> None:
    run.state, run.finished_at, run.message = ImportRun.State.FAILED, timezone.now(), message
    if run.pk:
        run.save()


def _set_state(run: ImportRun, state: str) -> None:
    run.state = state
    run.started_at = run.started_at or timezone.now()
    run.save(update_fields=["state", "started_at", "fmt"])


def _summary(title: str, messages: list[str]) -> str:
    shown = "\n".join(f"- {m}" for m in messages[:MAX_MESSAGES])
    more = len(messages) - MAX_MESSAGES
    return f"{title} :\n{shown}" + (f"\n… et {more} autres." if more > 0 else "")


def refresh_due_sources(*, now=None) -> list[ImportRun]:
    """Re-import, in full, every source with a URL whose refresh period has passed."""
    now = now or timezone.now()
    runs = []
    for source in ImportSource.objects.exclude(url="").filter(refresh_every_days__isnull=False):
        due = source.last_imported_at is None or (
            (now - source.last_imported_at).days >= source.refresh_every_days
        )
        if due:
            runs.append(_refresh(source))
    return runs


def _refresh(source: ImportSource) -> ImportRun:
    run = ImportRun.objects.create(source=source, fmt=source.kind, location=source.url, full=True)
    # A failure is recorded on the run; the source stays due and is tried again next time.
    with contextlib.suppress(ImportFailed):
        run_import(run=run)
    return run
