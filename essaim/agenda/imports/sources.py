"""Subscriptions: re-reading each CalendarSource's URL when due, with a conditional GET.

A source is due ``refresh_every_hours`` after its last fetch; after N failures in a row the
wait doubles N times (at most a week), so that a dead calendar is not hammered. Errors are
recorded in words on the source (``last_error``), never raised: the worker keeps running.
"""

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from essaim.agenda.imports import FetchError, ImportFailed, Outcome, fetch, import_calendar
from essaim.agenda.models import CalendarSource

MAX_WAIT = timedelta(days=7)
logger = logging.getLogger(__name__)


def next_refresh(source: CalendarSource, now: datetime | None = None) -> datetime | None:
    """When the source is next due (``now`` if never read; None: never automatically)."""
    if not source.url or not source.refresh_every_hours:
        return None
    if source.last_fetched_at is None:
        return now or timezone.now()
    period = timedelta(hours=source.refresh_every_hours)
    wait = min(period * 2 ** min(source.failures, 10), max(MAX_WAIT, period))
    return source.last_fetched_at + wait


def refresh_due_sources(*, now: datetime | None = None) -> dict[str, str]:
    """Refresh every due source; returns {source name: outcome in words}."""
    now = now or timezone.now()
    results = {}
    for source in CalendarSource.objects.exclude(url="").filter(refresh_every_hours__isnull=False):
        due = next_refresh(source, now)
        if due is not None and due <= now:
            results[source.name] = refresh_source(source=source, now=now)
    return results


def refresh_source(*, source: CalendarSource, now: datetime | None = None) -> str:
    """Fetch (conditionally) and import ``source``; records success or error on it.

    Imported events follow the source's trust: published directly or pending moderation.
    """
    now = now or timezone.now()
    source.last_fetched_at = now
    try:
        fetched = fetch(source.url, etag=source.etag, last_modified=source.last_modified)
        if fetched.not_modified:
            _succeeded(source, now)
            return "inchangé (HTTP 304)"
        outcome = import_calendar(source=source, data=fetched.content,
                                  publish=source.publish_directly)  # fmt: skip
    except (FetchError, ImportFailed) as exc:
        return _failed(source, str(exc))
    except Exception as exc:  # noqa: BLE001 (one bad calendar must not stop the worker)
        logger.exception("Refreshing calendar source %s failed", source.pk)
        return _failed(source, f"Erreur inattendue : {exc.__class__.__name__}: {exc}")
    source.etag, source.last_modified = fetched.etag[:500], fetched.last_modified[:100]
    _succeeded(source, now)
    return _short(outcome)


def _succeeded(source: CalendarSource, now: datetime) -> None:
    source.last_success_at, source.last_error, source.failures = now, "", 0
    source.save(update_fields=["etag", "last_modified", "last_fetched_at", "last_success_at",
                               "last_error", "failures"])  # fmt: skip


def _failed(source: CalendarSource, message: str) -> str:
    source.last_error, source.failures = message[:5000], source.failures + 1
    source.save(update_fields=["last_fetched_at", "last_error", "failures"])
    return f"erreur : {message.splitlines()[0]}"


def _short(outcome: Outcome) -> str:
    c = outcome.counts
    return (f"{c.created} créés, {c.updated} mis à jour, {c.unchanged} inchangés, "
            f"{c.proposed} proposés, {c.withdrawn} retirés")  # fmt: skip
