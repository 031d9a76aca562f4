"""Importing iCalendar files and subscriptions into the agenda.

``import_calendar(source=…, data=…)`` parses the whole calendar first (``calendar``: every
broken line or event is named, and any error refuses the import), maps each VEVENT to event
fields (``fields``), then writes everything in one transaction (``writer``): created,
updated, unchanged, proposed as a pending version when edited here, withdrawn when gone
from the source. Nothing is half-imported. ``sources`` refreshes subscriptions.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from essaim.agenda import recurrence
from essaim.agenda.imports.calendar import SKIPPED, ImportFailed, parse, summary_of
from essaim.agenda.imports.fetch import FetchError, fetch, is_url, read_location
from essaim.agenda.imports.fields import Resolver, describe, postal_codes
from essaim.agenda.imports.writer import Counts, Writer
from essaim.agenda.models import CalendarSource

__all__ = ["FetchError", "ImportFailed", "Outcome", "fetch", "import_calendar", "is_url",
           "read_location"]  # fmt: skip
Progress = Callable[[str], None]


@dataclass
class Outcome:
    read: int = 0
    counts: Counts = field(default_factory=Counts)
    warnings: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def message(self) -> str:
        c = self.counts
        text = (
            f"{self.read} événements lus : {c.created} créés, {c.updated} mis à jour, "
            f"{c.unchanged} inchangés, {c.proposed} versions proposées (modifiés ici), "
            f"{c.withdrawn} retirés (disparus de la source), {c.restored} rétablis ; "
            f"{len(self.warnings)} avertissements."
        )
        if self.skipped:
            ignored = ", ".join(f"{n} {SKIPPED[k]}(s) ({k})" for k, n in self.skipped.items())
            text += f"\nIgnorés : {ignored}."
        if self.dry_run:
            text += "\nSimulation : rien n'a été écrit."
        if self.warnings:
            text += "\n" + summary_of(self.warnings, "Avertissements")
        return text


class _DryRun(Exception):
    pass


def import_calendar(
    *, source: CalendarSource, data: bytes, publish: bool, by=None, dry_run: bool = False,
    progress: Progress | None = None,
) -> Outcome:  # fmt: skip
    """Import ``data`` (an .ics) into ``source``'s events; ImportFailed leaves the database as
    it was. Side effects: moderation history and notifications; search indexing after commit."""
    progress = progress or (lambda message: None)
    parsed = parse(data)
    if not parsed.records:
        raise ImportFailed("Aucun événement (VEVENT) dans ce calendrier : rien n'a été écrit.")
    progress(f"{len(parsed.records)} événements lus")
    outcome = Outcome(read=len(parsed.records), warnings=parsed.warnings,
                      skipped=parsed.skipped, dry_run=dry_run)  # fmt: skip
    _describe(parsed.records, outcome.warnings)
    try:
        with transaction.atomic(), recurrence.deferred():
            writer = Writer(source=source, publish=publish, by=by)
            writer.write(parsed.records)
            progress("événements écrits, dates calculées")
            writer.withdraw_gone()
            outcome.counts = writer.counts
            if dry_run:
                raise _DryRun
            _after_commit(source, writer.counts.written_ids)
    except _DryRun:
        pass
    outcome.warnings += outcome.counts.warnings
    return outcome


def _describe(records, warnings: list[str]) -> None:
    resolver = Resolver(postal_codes(records))
    for record in records:
        describe(record, resolver, warnings)
    if resolver.unknown_categories:
        names = ", ".join(sorted(resolver.unknown_categories)[:30])
        warnings.append(f"Catégories sans thème correspondant, ignorées : {names}.")


def _after_commit(source: CalendarSource, ids: list[int]) -> None:
    from essaim.agenda import tasks

    if ids:
        transaction.on_commit(lambda: tasks.index_events.enqueue(event_ids=ids))
