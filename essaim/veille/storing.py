"""Storing parsed entries as items: canonical links, content hashes, de-duplication,
sanitised HTML, themes by keyword rules, initiative mentions, search index.

De-duplication, in order (publishers change GUIDs: FreshRSS #5151, #5909, #5329):
1. same source and GUID → the same item (updated when its content changed);
2. the same canonical link, from any source (http and https count as one);
3. the same content hash, from any source, when there is enough text to compare.
"""

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError, transaction

from essaim.common.html import clean_html, strip_html
from essaim.veille.matching import InitiativeNames, ThemeRules, fold
from essaim.veille.models import Item, ItemMention, Source
from essaim.veille.parsing import Entry

logger = logging.getLogger(__name__)

TRACKING_PARAMS = {"fbclid", "gclid", "mc_cid", "mc_eid", "xtor", "at_medium", "at_campaign"}
MIN_HASHED_TEXT = 40  # shorter texts ("Assemblée générale") are not proof of a duplicate
MAX_GUID = 500
FUTURE_SLACK = timedelta(days=1)


def canonical_link(url: str) -> str:
    """``url`` without fragment, ``utm_*`` and other tracking parameters; host in lower case."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
        netloc = parts.netloc.lower()
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not netloc:
        return ""
    netloc = netloc.removesuffix(":80") if parts.scheme == "http" else netloc.removesuffix(":443")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS]  # fmt: skip
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def link_variants(link: str) -> list[str]:
    if link.startswith("https://"):
        return [link, "http://" + link[8:]]
    if link.startswith("http://"):
        return [link, "https://" + link[7:]]
    return [link]


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{fold(title)}\n{fold(text)}".encode()).hexdigest()


def short_guid(guid: str) -> str:
    guid = guid.strip()
    if len(guid) <= MAX_GUID:
        return guid
    return "sha256:" + hashlib.sha256(guid.encode()).hexdigest()


@dataclass
class StoreContext:
    """What a polling round loads once: rules, initiative names, each source's themes."""

    rules: ThemeRules
    names: InitiativeNames
    source_themes: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, source_ids=None) -> "StoreContext":
        through = Source.themes.through.objects.all()
        if source_ids is not None:
            through = through.filter(source_id__in=source_ids)
        themes: dict[int, list[int]] = {}
        for source_id, theme_id in through.values_list("source_id", "theme_id"):
            themes.setdefault(source_id, []).append(theme_id)
        return cls(ThemeRules.load(), InitiativeNames.load(), themes)


def matched_text(title: str, text: str) -> str:
    """What keyword rules and initiative names are looked for in: folded title and text."""
    return fold(f"{title} {text}")


@dataclass
class Candidate:
    item: Item
    text: str  # folded title and summary text, for rules and mentions


def store_entries(
    *,
    source: Source,
    entries: list[Entry],
    now: datetime,
    context: StoreContext | None = None,
    index: bool = True,
) -> list[Item]:
    """Create the items that are new; update those whose content changed. Returns new items.

    Side effects: theme links, suggested initiative mentions, search index entries (unless
    ``index`` is false: a polling round indexes its new items in the background, in bulk).
    """
    context = context or StoreContext.load([source.pk])
    candidates = _candidates(source, entries, now)
    if not candidates:
        return []
    fresh = _update_known(source, candidates)
    fresh = _drop_known_links(fresh)
    fresh = _drop_known_hashes(fresh)
    created = _create(fresh)
    _link_themes(created, context, context.source_themes.get(source.pk, []))
    _suggest_mentions(created, context)
    if index:
        index_items([c.item for c in created], source)
    return [c.item for c in created]


def _candidates(source: Source, entries: list[Entry], now: datetime) -> list[Candidate]:
    by_guid: dict[str, Candidate] = {}
    for entry in entries:
        guid = short_guid(entry.guid)
        if not guid or guid in by_guid:
            continue
        summary = clean_html(entry.summary_html)
        text = strip_html(summary)
        published = entry.published if entry.published and entry.published < now + FUTURE_SLACK \
            else now  # fmt: skip
        item = Item(source=source, guid=guid, link=canonical_link(entry.link)[:2000],
                    title=strip_html(entry.title)[:500], summary_html=summary,
                    author=strip_html(entry.author)[:200], published_at=published,
                    content_hash=content_hash(entry.title, text))  # fmt: skip
        by_guid[guid] = Candidate(item, matched_text(item.title, text))
    return list(by_guid.values())


def _update_known(source: Source, candidates: list[Candidate]) -> list[Candidate]:
    """Refresh known items whose content changed; return the candidates not yet known."""
    known = {guid: (pk, digest) for pk, guid, digest in Item.objects.filter(
        source=source, guid__in=[c.item.guid for c in candidates]
    ).values_list("pk", "guid", "content_hash")}  # fmt: skip
    changed = []
    for candidate in candidates:
        item = candidate.item
        if item.guid in known and known[item.guid][1] != item.content_hash:
            item.pk = known[item.guid][0]
            changed.append(item)
    if changed:
        Item.objects.bulk_update(changed, ["title", "summary_html", "author", "content_hash"])
    return [c for c in candidates if c.item.guid not in known]


def _drop_known_links(candidates: list[Candidate]) -> list[Candidate]:
    # A link shared by several entries of one feed (a home page) identifies none of them.
    counts: dict[str, int] = {}
    for c in candidates:
        counts[c.item.link] = counts.get(c.item.link, 0) + 1
    identifying = [c for c in candidates if c.item.link and counts[c.item.link] == 1]
    variants = [v for c in identifying for v in link_variants(c.item.link)]
    known = set(Item.objects.filter(link__in=variants).values_list("link", flat=True))
    known_keys = {_scheme_free(link) for link in known}
    return [c for c in candidates
            if c not in identifying or _scheme_free(c.item.link) not in known_keys]  # fmt: skip


def _scheme_free(link: str) -> str:
    return link.split("://", 1)[-1]


def _drop_known_hashes(candidates: list[Candidate]) -> list[Candidate]:
    hashed = [c for c in candidates if len(c.text) >= MIN_HASHED_TEXT]
    known = set(Item.objects.filter(content_hash__in=[c.item.content_hash for c in hashed])
                .values_list("content_hash", flat=True))  # fmt: skip
    seen, kept = set(known), []
    for c in candidates:
        if len(c.text) >= MIN_HASHED_TEXT:
            if c.item.content_hash in seen:
                continue
            seen.add(c.item.content_hash)
        kept.append(c)
    return kept


def _create(candidates: list[Candidate]) -> list[Candidate]:
    if not candidates:
        return []
    try:
        with transaction.atomic():
            Item.objects.bulk_create([c.item for c in candidates])
        return candidates
    except IntegrityError:
        # Another poller stored some of them meanwhile: keep the ones still new.
        created = []
        for c in candidates:
            try:
                with transaction.atomic():
                    c.item.pk = None
                    c.item.save(force_insert=True)
                created.append(c)
            except IntegrityError:
                continue
        return created


def _link_themes(created: list[Candidate], context: StoreContext, source_themes: list[int]):
    through = Item.themes.through
    rows = [through(item_id=c.item.pk, theme_id=theme_id) for c in created
            for theme_id in set(source_themes) | context.rules.themes_of(c.text)]  # fmt: skip
    through.objects.bulk_create(rows, ignore_conflicts=True)


def _suggest_mentions(created: list[Candidate], context: StoreContext) -> None:
    rows = [ItemMention(item=c.item, initiative_id=initiative_id) for c in created
            for initiative_id in context.names.mentioned_in(c.text)]  # fmt: skip
    ItemMention.objects.bulk_create(rows, ignore_conflicts=True)


def index_items(items: list[Item], source: Source | None = None) -> None:
    if not items:
        return
    from wagtail.search.backends import get_search_backend

    if source is not None:
        for item in items:
            item.source = source  # the index reads the source's title: no query per item
    get_search_backend().add_bulk(Item, items)


RETHEME_CHUNK = 2000


def retheme_items(*, source_id: int | None = None) -> tuple[int, int]:
    """Make every item's themes its source's themes plus what the keyword rules say now.

    Runs after staff edit a rule or a source's themes, so that old items follow the new
    rules: links a removed keyword made go, links a new one makes come. Item themes only
    ever come from those two places, so recomputing them loses nothing. Chunked by id:
    memory stays flat however many items there are. Returns (links added, links removed).
    """
    rules, through = ThemeRules.load(), Item.themes.through
    source_themes: dict[int, set[int]] = defaultdict(set)
    for sid, theme_id in Source.themes.through.objects.values_list("source_id", "theme_id"):
        source_themes[sid].add(theme_id)
    items = Item.objects.order_by("pk")
    if source_id is not None:
        items = items.filter(source_id=source_id)
    added = removed = 0
    last_pk = 0
    while chunk := list(
        items.filter(pk__gt=last_pk).values_list("pk", "source_id", "title", "summary_html")[
            :RETHEME_CHUNK
        ]
    ):
        last_pk = chunk[-1][0]
        wanted = {
            (pk, theme_id)
            for pk, sid, title, summary in chunk
            for theme_id in source_themes[sid]
            | rules.themes_of(matched_text(title, strip_html(summary)))
        }
        ids = [row[0] for row in chunk]
        present = set(through.objects.filter(item_id__in=ids).values_list("item_id", "theme_id"))
        stale: dict[int, list[int]] = defaultdict(list)
        for item_id, theme_id in present - wanted:
            stale[theme_id].append(item_id)
        with transaction.atomic():
            for theme_id, item_ids in stale.items():
                links = through.objects.filter(theme_id=theme_id, item_id__in=item_ids)
                removed += links.delete()[0]
            created = through.objects.bulk_create(
                [through(item_id=i, theme_id=t) for i, t in wanted - present],
                ignore_conflicts=True,
            )
            added += len(created)
    return added, removed
