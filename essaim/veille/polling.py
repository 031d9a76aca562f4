"""One polling round: fetch due sources in a thread pool, at most two requests at a time
per host, and record each result (items, validators, health, next poll) as it arrives.

Threads only fetch and parse; every database write happens in the calling thread, so the
round works the same on SQLite and PostgreSQL. A bounded queue between the two keeps
memory flat however many sources there are.
"""

import logging
import queue
import random
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from essaim.veille.fetching import Fetched, fetch
from essaim.veille.models import Source
from essaim.veille.models.sources import MAX_INTERVAL, MIN_INTERVAL
from essaim.veille.parsing import FeedError, ParsedFeed, parse
from essaim.veille.storing import StoreContext, store_entries

logger = logging.getLogger(__name__)
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Target:
    """What a worker thread needs of a source (no model instance crosses threads)."""

    id: int
    url: str
    etag: str
    last_modified: str


@dataclass
class Outcome:
    target: Target
    fetched: Fetched
    feed: ParsedFeed | None = None
    error: str = ""


@dataclass
class RoundReport:
    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    new_items: int = 0
    errors: dict[int, str] = field(default_factory=dict)
    new_item_ids: list[int] = field(default_factory=list)


# --- worker side ----------------------------------------------------------------------


def fetch_and_parse(target: Target) -> Outcome:
    """Never raises: failures are in ``Outcome.error``."""
    try:
        fetched = fetch(target.url, etag=target.etag, last_modified=target.last_modified)
        outcome = Outcome(target, fetched, error=fetched.error)
        if not fetched.error and not fetched.not_modified:
            final_url = fetched.redirects[-1][1] if fetched.redirects else target.url
            outcome.feed = parse(fetched.body, url=final_url, content_type=fetched.content_type)
            fetched.body = b""  # parsed: free the memory before the result waits in the queue
        return outcome
    except FeedError as exc:
        return Outcome(target, fetched, error=str(exc))
    except Exception as exc:  # noqa: BLE001 (a feed must never stop the round)
        logger.exception("Polling %s failed", target.url)
        return Outcome(target, Fetched(url=target.url), error=f"Erreur inattendue : {exc}.")


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def plan_lanes(targets: list[Target], per_host: int) -> list[list[Target]]:
    """Split targets into lanes run one request at a time: at most ``per_host`` per host.

    Hosts are interleaved so that the first lanes started cover as many hosts as possible.
    """
    by_host: dict[str, list[Target]] = defaultdict(list)
    for target in targets:
        by_host[host_of(target.url)].append(target)
    lanes = [group[i::per_host] for group in by_host.values() for i in range(per_host)]
    lanes = [lane for lane in lanes if lane]
    lanes.sort(key=len, reverse=True)  # longest first: they bound the round's duration
    return lanes


def _run_lane(lane: list[Target], results: queue.Queue, stop) -> None:
    for target in lane:
        if stop.is_set():
            return
        results.put(fetch_and_parse(target))


# --- recording side -------------------------------------------------------------------


def poll(sources, *, progress: Callable[[int, int, Source | None, str], None] | None = None,
         workers: int | None = None) -> RoundReport:  # fmt: skip
    """Poll ``sources`` (a queryset or list) once; returns counts and errors by source id."""

    sources = {s.pk: s for s in sources}
    targets = [Target(s.pk, s.url, s.etag, s.last_modified) for s in sources.values()]
    report = RoundReport()
    if not targets:
        return report
    context = StoreContext.load(list(sources))
    workers = workers or settings.ESSAIM_VEILLE_WORKERS
    results: queue.Queue = queue.Queue(maxsize=workers * 2)
    stop = threading.Event()
    lanes = plan_lanes(targets, settings.ESSAIM_VEILLE_PER_HOST)
    with ThreadPoolExecutor(max_workers=min(workers, len(lanes)),
                            thread_name_prefix="veille") as pool:  # fmt: skip
        futures = [pool.submit(_run_lane, lane, results, stop) for lane in lanes]
        try:
            for done in range(1, len(targets) + 1):
                outcome = results.get()
                source = sources[outcome.target.id]
                state = _record_safely(source, outcome, context, report)
                if progress:
                    progress(done, len(targets), source, state)
        finally:
            stop.set()
            _drain(results, futures)
    _index_later(report.new_item_ids)
    return report


INDEX_CHUNK = 1000


def _index_later(item_ids: list[int]) -> None:
    """Search indexing (French stemming) costs more than storing: the worker does it."""
    from essaim.veille import tasks

    for start in range(0, len(item_ids), INDEX_CHUNK):
        tasks.index_items.enqueue(item_ids=item_ids[start : start + INDEX_CHUNK])


def _drain(results: queue.Queue, futures) -> None:
    # After an interruption, let blocked workers finish their put() so the pool can stop.
    while not all(future.done() for future in futures):
        try:
            results.get(timeout=0.05)
        except queue.Empty:
            continue


def _record_safely(source, outcome, context, report) -> str:
    try:
        return record(source=source, outcome=outcome, context=context, report=report)
    except Exception as exc:  # noqa: BLE001 (one bad record must not stop the round)
        logger.exception("Recording %s failed", source.url)
        _record_error(source, f"Erreur à l'enregistrement : {exc}.", timezone.now(), None)
        report.failed += 1
        return "erreur"


def record(*, source: Source, outcome: Outcome, context: StoreContext | None = None,
           report: RoundReport | None = None, now: datetime | None = None) -> str:  # fmt: skip
    """Write one fetch's result on ``source``; returns "nouveau", "inchangé" or "erreur"."""
    now = now or timezone.now()
    report = report if report is not None else RoundReport()
    report.polled += 1
    fetched = outcome.fetched
    if outcome.error:
        report.failed += 1
        report.errors[source.pk] = outcome.error
        _record_error(source, outcome.error, now, fetched.retry_after)
        return "erreur"
    _remember_move(source, fetched.moved_to)
    if fetched.not_modified:
        report.not_modified += 1
        _record_success(source, now, fetched, interval=source.poll_interval)
        return "inchangé"
    feed = outcome.feed
    new = store_entries(source=source, entries=feed.entries, now=now, context=context,
                        index=False)  # fmt: skip
    report.new_items += len(new)
    report.new_item_ids += [item.pk for item in new]
    source.title = source.title or feed.title[:300]
    source.site_url = source.site_url or feed.site_url[:1000]
    _record_success(source, now, fetched, interval=adapted_interval(feed, now))
    return "nouveau" if new else "inchangé"


def adapted_interval(feed: ParsedFeed, now: datetime) -> timedelta:
    """How long a source takes to publish one entry, between 30 minutes and 24 hours.

    Measured over the last week, or over the feed's window when it holds less than a week
    (a busy feed's last 20 entries may span a few hours).
    """
    dates = [e.published for e in feed.entries if e.published and e.published <= now]
    recent = [d for d in dates if d >= now - WEEK]
    if not recent:
        return MAX_INTERVAL
    span = WEEK if len(dates) > len(recent) else max(now - min(recent), MIN_INTERVAL)
    return max(MIN_INTERVAL, min(MAX_INTERVAL, span / len(recent)))


def _spread(interval: timedelta) -> timedelta:
    # Up to 10 % later, so that sources added together drift apart.
    return interval * (1 + random.random() / 10)


def _record_success(source: Source, now: datetime, fetched: Fetched, *, interval) -> None:
    source.poll_interval = interval
    source.last_polled_at = source.last_success_at = now
    source.next_poll_at = now + _spread(interval)
    source.error_count, source.last_error, source.retry_after_until = 0, "", None
    if not fetched.not_modified or fetched.etag or fetched.last_modified:
        # Kept exactly as received; a 200 without them clears the old ones.
        source.etag, source.last_modified = fetched.etag, fetched.last_modified
    Source.objects.filter(pk=source.pk).update(
        url=source.url, title=source.title, site_url=source.site_url, etag=source.etag,
        last_modified=source.last_modified, poll_interval=interval,
        last_polled_at=now, last_success_at=now, next_poll_at=source.next_poll_at,
        error_count=0, last_error="", retry_after_until=None,
    )  # fmt: skip


def _record_error(source: Source, error: str, now: datetime, retry_after) -> None:
    source.error_count += 1
    # Exponential back-off: the usual interval, doubled at each consecutive error, ≤ 24 h.
    backoff = min(MAX_INTERVAL, source.poll_interval * 2 ** min(source.error_count, 10))
    source.next_poll_at = max(now + backoff, retry_after or now)
    source.last_polled_at, source.last_error, source.retry_after_until = now, error, retry_after
    Source.objects.filter(pk=source.pk).update(
        error_count=source.error_count, next_poll_at=source.next_poll_at, last_polled_at=now,
        last_error=error, retry_after_until=retry_after,
    )  # fmt: skip


def _remember_move(source: Source, moved_to: str) -> None:
    """A permanent redirect: poll the new address from now on, unless another source has it."""
    if (
        moved_to
        and moved_to != source.url
        and len(moved_to) <= 1000
        and not Source.objects.filter(url=moved_to).exists()
    ):
        source.url = moved_to


def poll_due(*, progress=None, everything: bool = False) -> RoundReport:
    """One round over the sources that are due (or all of them)."""
    sources = Source.objects.all() if everything else Source.objects.due()
    return poll(sources.order_by("next_poll_at", "pk"), progress=progress)
