"""Whole-page cache for anonymous visitors, invalidated by any change to content.

A GET from someone with no session and no pending message sees the same page as every
other such visitor; that page is kept ``ESSAIM_PAGE_CACHE_SECONDS`` (0
turns the cache off) under a key made of the *content version*, the scheme, the host and
the full path. The content version is one counter in the cache, bumped whenever a row of
an Essaim app or a Wagtail page that is or was on a public page is saved or deleted
(``post_save``, ``post_delete``, ``m2m_changed``; see ``_seen_by_visitors``), both at once
and when the transaction commits: publishing, hiding, archiving or editing anything shows
on the writer's process's next request and within a second on the others (each process
reads the version at most once a second, which spares a hit one of its two cache reads).
Writes that skip signals (bulk imports through COPY, ``QuerySet.update``) call
``content_changed()`` themselves; what changes with the clock alone (an event that has
just ended) shows within the lifetime.

Only HTML pages and RSS/Atom feeds with status 200 that set no cookie and are not marked
private or ``no-store``/``no-cache`` are kept: a page that rendered a CSRF token sets the
cookie (Django renews it whenever a token is used, even for a visitor who has it), so it is
never shared, and a kept page holds no token. A visitor with a CSRF cookie (who once opened a
form) is therefore served kept pages like anyone else. The stored response carries the
security headers (CSP, Permissions-Policy, X-Frame-Options) that the middleware below it
added.
"""

import random
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import cc_delim_re

VERSION_KEY = "pagecache:version"
# The cookies that make a visitor's page their own (not the CSRF cookie: see above).
PERSONAL_COOKIES = ("SESSION_COOKIE_NAME",)
MESSAGES_COOKIE = "messages"
# Rows of these apps never change what an anonymous visitor sees.
UNSHOWN_APPS = frozenset({"sessions", "admin", "django_tasks_database", "contenttypes"})
# Rows written while a page renders, that only repeat what is already shown: Wagtail makes
# an image's rendition on its first display. Each used to outdate every kept page, so a
# site whose pages were first visited in a stream (a crawler, the soak) kept almost none.
UNSHOWN_MODELS = frozenset({"wagtailimages.rendition"})
SHOWN_APPS_PREFIXES = ("essaim.", "wagtail", "taggit")
# Pages and the news feeds (polled by every reader's aggregator). Not the API, whose answers
# carry each client's rate-limit headers, nor the streamed calendars (they have ETags).
SHARED_TYPES = ("text/html", "application/rss+xml", "application/atom+xml")


# The version as this process last read or set it, and when (monotonic seconds). Reading
# it from the cache at most once a second spares a hit one of its two cache round trips;
# a process's own writes show at once, other processes' within the second.
VERSION_MEMO_SECONDS = 1.0
_memo = (0, float("-inf"))


# A kept page lives between half and all of the configured lifetime (at random): pages
# kept in the same minute (after a restart or a publication) would otherwise all expire in
# the same second, and every visitor of the next seconds would render again (the soak
# saw 1,650 misses in a minute, five minutes after its start).
LIFETIME_SPREAD = 0.5
_spread = random.Random()


def page_lifetime(seconds: int) -> int:
    return max(1, round(seconds * _spread.uniform(LIFETIME_SPREAD, 1.0)))


def content_version() -> int:
    global _memo
    version, read_at = _memo
    if (now := time.monotonic()) - read_at < VERSION_MEMO_SECONDS:
        return version
    version = cache.get_or_set(VERSION_KEY, 1, None)
    _memo = (version, now)
    return version


def content_changed() -> None:
    """Every cached page is out of date: now, and again once the transaction commits
    (a page cached between the two would hold the old content)."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    global _memo
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:
        # No version (evicted, or the cache was cleared): start from a number no process
        # can still hold in its memo, so no page rendered before this write is taken as
        # current.
        version = time.time_ns() // 1000
        cache.set(VERSION_KEY, version, None)
    _memo = (version, time.monotonic())


def _is_shown(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    config = getattr(meta, "app_config", None)  # None: not an installed app's (migrations)
    if config is None or meta.app_label in UNSHOWN_APPS or meta.label_lower in UNSHOWN_MODELS:
        return False
    return config.name.startswith(SHOWN_APPS_PREFIXES)


def _seen_by_visitors(instance) -> bool:
    """Whether this row was or is on a public page. Moderated rows (they have
    ``is_public``) count only when public now or when loaded or last saved: a proposal
    waiting for moderation changes no page (under a wave of anonymous proposals the
    cache would otherwise empty itself at every one). Models that never show declare
    ``outdates_pages = False`` (moderation history, reports, pending versions)."""
    if not getattr(type(instance), "outdates_pages", True):
        return False
    if not hasattr(instance, "is_public"):
        return True
    was_public = getattr(instance, "_was_public", False)
    instance._was_public = bool(instance.is_public)  # for its next save in this process
    return was_public or instance._was_public


def _on_write(sender, instance=None, **_kwargs) -> None:
    if _is_shown(sender) and (instance is None or _seen_by_visitors(instance)):
        content_changed()


def connect_signals() -> None:
    """From ``CommonConfig.ready``: in every process that writes (web, worker, commands)."""
    post_save.connect(_on_write, dispatch_uid="essaim-pagecache-save")
    post_delete.connect(_on_write, dispatch_uid="essaim-pagecache-delete")
    m2m_changed.connect(_on_write, dispatch_uid="essaim-pagecache-m2m")


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    personal = [getattr(settings, name) for name in PERSONAL_COOKIES] + [MESSAGES_COOKIE]
    return not any(name in cookies for name in personal)


def _shareable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith(SHARED_TYPES):
        return False
    directives = {d.strip().lower().split("=")[0]
                  for d in cc_delim_re.split(response.get("Cache-Control", ""))}  # fmt: skip
    return not directives & {"private", "no-store", "no-cache"}


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.ESSAIM_PAGE_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or not _anonymous(request):
            return self.get_response(request)
        key = f"pagecache:{content_version()}:{request.scheme}:{request.get_host()}:" + (
            request.get_full_path())  # fmt: skip
        if (cached := cache.get(key)) is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if request.method == "GET" and _shareable(response):
            response["X-Page-Cache"] = "miss"
            cache.set(key, response, page_lifetime(seconds))
        return response
