"""Turning a fetched body into entries: RSS 0.9x/1.0/2.0 and Atom through feedparser,
JSON Feed with ``json`` (feedparser does not read it), feed discovery in HTML pages.

Nothing here touches the database or trusts the feed: HTML is sanitised later, when
items are stored; here every failure becomes a ``FeedError`` whose message is in words.
"""

import calendar
import hashlib
import json
import re
import xml.sax
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser

from essaim.common.html import strip_html

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
}
MAX_ENTRIES = 200  # a feed carries its latest items; more is an archive dump


class FeedError(Exception):
    """The body is not a readable feed; the message says why, in French."""


@dataclass
class Entry:
    guid: str
    link: str
    title: str
    summary_html: str  # raw: sanitised before storage
    author: str
    published: datetime | None


@dataclass
class ParsedFeed:
    title: str = ""
    site_url: str = ""
    entries: list[Entry] = field(default_factory=list)


def parse(body: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """Parse any supported feed format; raise ``FeedError`` when nothing usable is found."""
    body = body.replace(b"\x00", b"")  # NUL bytes break XML parsers (FreshRSS #3395)
    if not body.strip():
        raise FeedError("Le flux est vide.")
    if _looks_like_json(body, content_type):
        return parse_json_feed(body, url=url)
    if _looks_like_html(body, content_type):
        raise FeedError("Cette adresse donne une page web, pas un flux.")
    return parse_xml_feed(body, url=url, content_type=content_type)


def _looks_like_json(body: bytes, content_type: str) -> bool:
    return "json" in content_type or body.lstrip()[:1] == b"{"


def _looks_like_html(body: bytes, content_type: str) -> bool:
    head = body.lstrip()[:200].lower()
    return head.startswith((b"<!doctype html", b"<html")) or (
        "html" in content_type and b"<rss" not in body[:2000] and b"<feed" not in body[:2000]
    )


# --- RSS and Atom ----------------------------------------------------------------------


def parse_xml_feed(body: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    except UnicodeDecodeError:  # feedparser 6 decodes the XML declaration's encoding name
        raise FeedError("Déclaration d'encodage illisible : le flux est illisible.") from None
    entries = [_entry(raw) for raw in parsed.entries[:MAX_ENTRIES]]
    if not entries and (parsed.bozo or not parsed.version):
        raise FeedError(_bozo_words(parsed))
    feed = parsed.feed
    return ParsedFeed(title=strip_html(feed.get("title", ""))[:300],
                      site_url=_http_url(feed.get("link", "")), entries=entries)  # fmt: skip


def _bozo_words(parsed) -> str:
    exc = parsed.get("bozo_exception")
    if isinstance(exc, xml.sax.SAXParseException):
        return f"XML mal formé (ligne {exc.getLineNumber()}) : {exc.getMessage()}."
    if isinstance(exc, feedparser.CharacterEncodingUnknown):
        return "Encodage des caractères inconnu : le flux est illisible."
    if exc is not None:
        return f"Flux illisible : {exc}."
    return "Ce document n'est ni un flux RSS, ni un flux Atom, ni un JSON Feed."


def _entry(raw) -> Entry:
    # feedparser gives None, not "", for elements it could not read (e.g. a NUL in CDATA).
    link = _http_url(raw.get("link") or "")
    title = raw.get("title") or ""
    if raw.get("title_detail", {}).get("type") == "text/html":
        title = strip_html(title)
    published = _struct_time(raw.get("published_parsed") or raw.get("updated_parsed"))
    guid = raw.get("id") or link or _fallback_guid(title, published)
    return Entry(guid=guid, link=link, title=title.strip(), summary_html=_body(raw),
                 author=raw.get("author") or "", published=published)  # fmt: skip


def _body(raw) -> str:
    """The longest of the entry's summary and content (Atom ``content``, ``content:encoded``)."""
    candidates = [raw.get("summary") or ""]
    candidates += [part.get("value") or "" for part in raw.get("content") or []]
    best = max(candidates, key=len)
    kind = raw.get("summary_detail", {}).get("type", "text/html")
    if best is candidates[0] and kind == "text/plain":
        return escape(best)
    return best


def _struct_time(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _fallback_guid(title: str, published: datetime | None) -> str:
    # No GUID and no link: title and date identify the entry within its feed.
    key = f"{title}\n{published.isoformat() if published else ''}"
    return "sha1:" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()


def _http_url(value) -> str:
    value = str(value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else ""


# --- JSON Feed -------------------------------------------------------------------------


def parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except json.JSONDecodeError as exc:
        raise FeedError(f"JSON mal formé (ligne {exc.lineno}) : {exc.msg}.") from None
    except (ValueError, RecursionError):  # an over-long number, or arrays nested too deep
        raise FeedError("JSON illisible : nombre trop long ou imbrication trop profonde.") \
            from None  # fmt: skip
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedError("Ce document JSON n'est pas un JSON Feed (champ « version » absent).")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed sans liste « items ».")
    entries = [_json_entry(item, url) for item in items[:MAX_ENTRIES] if isinstance(item, dict)]
    return ParsedFeed(title=str(data.get("title", ""))[:300],
                      site_url=_http_url(data.get("home_page_url")), entries=entries)  # fmt: skip


def _json_entry(item: dict, base_url: str) -> Entry:
    link = _http_url(urljoin(base_url, str(item.get("url") or item.get("external_url") or "")))
    title = str(item.get("title") or "")
    published = _iso_date(item.get("date_published") or item.get("date_modified"))
    html = item.get("content_html") or ""
    if not html and (text := item.get("content_text") or item.get("summary")):
        html = "<p>" + escape(str(text)).replace("\n\n", "</p><p>") + "</p>"
    guid = str(item.get("id") or "") or link or _fallback_guid(title, published)
    return Entry(guid=_no_nul(guid), link=_no_nul(link), title=_no_nul(title).strip(),
                 summary_html=_no_nul(str(html)), author=_no_nul(_json_author(item)),
                 published=published)  # fmt: skip


def _no_nul(text: str) -> str:
    # JSON may escape NUL (\u0000), which PostgreSQL refuses in text and nobody means.
    return text.replace("\x00", "")


def _json_author(item: dict) -> str:
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [str(a.get("name", "")) for a in authors if isinstance(a, dict)]
    return ", ".join(name for name in names if name)


def _iso_date(value) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# --- discovery -------------------------------------------------------------------------


class _AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value or "") for key, value in attrs}
        rels = attrs.get("rel", "").lower().split()
        kind = attrs.get("type", "").lower().split(";")[0].strip()
        if tag == "link" and "alternate" in rels and kind in FEED_TYPES and attrs.get("href"):
            self.found.append((kind, attrs["href"]))


def is_html_page(body: bytes, content_type: str) -> bool:
    return "html" in content_type.lower() or bool(
        re.match(rb"\s*(<!doctype html|<html)", body[:500], re.IGNORECASE)
    )


def discover_feeds(body: bytes, *, url: str) -> list[str]:
    """Feed addresses announced by an HTML page (``<link rel="alternate" type=…>``), in order."""
    finder = _AlternateLinks()
    finder.feed(body.replace(b"\x00", b"").decode("utf-8", errors="replace"))
    urls = [_http_url(urljoin(url, href)) for _kind, href in finder.found]
    return list(dict.fromkeys(u for u in urls if u))
