"""Fuzzing the veille: feed parsing and storing (RSS, Atom, JSON Feed) and OPML import.

A feed body is either parsed and stored (sanitised, no NUL, bounded fields) or refused
with a ``FeedError`` in words; an OPML file is imported whole or refused with an
``OPMLError`` naming the outline, and a refused one writes nothing.
"""

import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from essaim.veille import services
from essaim.veille.imports import OPMLError
from essaim.veille.models import Item, Source
from essaim.veille.parsing import FeedError, parse
from essaim.veille.storing import store_entries
from tests.hardening.fuzz import ENCODINGS, bounded, encode, field_text, json_values, mutated

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent.parent / "veille" / "files"
CONTENT_TYPES = ["", "application/rss+xml", "application/atom+xml", "application/feed+json",
                 "text/html", "text/xml; charset=utf-8"]  # fmt: skip


@pytest.fixture
def source(db):
    return Source.objects.create(url="https://fuzz.example.org/feed.xml", title="Fuzz")


def read_and_store(source: Source, body: bytes, content_type: str = "") -> list[Item] | None:
    """None when the feed is refused (in words); else the source's items after storing."""
    try:
        feed = parse(body, url=source.url, content_type=content_type)
    except FeedError as exc:
        assert str(exc)
        return None
    store_entries(source=source, entries=feed.entries, now=timezone.now())
    items = list(Item.objects.filter(source=source))
    for item in items:
        texts = [item.guid, item.link, item.title, item.summary_html, item.author]
        assert not any("\x00" in text for text in texts), "NUL stored"
        assert "<script" not in item.summary_html.lower()
        assert item.link == "" or item.link.startswith(("http://", "https://"))
    return items


@bounded(25)
@given(body=st.binary(max_size=3000), content_type=st.sampled_from(CONTENT_TYPES))
def test_arbitrary_bytes_are_stored_or_refused_in_words(source, body, content_type):
    read_and_store(source, body, content_type)


FEEDS = sorted(p.name for p in FILES.iterdir() if p.suffix in {".xml", ".rdf", ".json"})


@pytest.mark.parametrize("name", FEEDS)
@bounded(8)
@given(data=st.data())
def test_damaged_real_feeds_are_stored_or_refused_in_words(source, name, data):
    read_and_store(source, data.draw(mutated((FILES / name).read_bytes())))


def xml_text(draw) -> str:
    text = draw(field_text)
    return text if draw(st.booleans()) else escape(text)  # raw text breaks the XML: on purpose


@st.composite
def rss_feeds(draw) -> bytes:
    items = []
    for _ in range(draw(st.integers(0, 5))):
        tags = draw(st.lists(st.sampled_from(["title", "link", "guid", "description", "pubDate",
                                              "author", "category"]), max_size=7))  # fmt: skip
        items.append("<item>" + "".join(f"<{t}>{xml_text(draw)}</{t}>" for t in tags) + "</item>")
    body = f"<rss version='2.0'><channel><title>{xml_text(draw)}</title>{''.join(items)}"
    body += draw(st.sampled_from(["</channel></rss>", "</channel>", "", "</rss></rss>"]))
    return encode(body, draw(st.sampled_from(ENCODINGS)))


@st.composite
def atom_feeds(draw) -> bytes:
    entries = []
    for _ in range(draw(st.integers(0, 5))):
        entries.append(
            f"<entry><id>{xml_text(draw)}</id><title type='html'>{xml_text(draw)}</title>"
            f"<link href='{escape(draw(field_text), {chr(39): '&apos;'})}'/>"
            f"<updated>{xml_text(draw)}</updated><content type='html'>{xml_text(draw)}</content>"
            "</entry>"
        )
    body = f"<feed xmlns='http://www.w3.org/2005/Atom'><title>{xml_text(draw)}</title>"
    return encode(body + "".join(entries) + "</feed>", draw(st.sampled_from(ENCODINGS)))


JSON_ITEM_KEYS = ["id", "url", "external_url", "title", "content_html", "content_text",
                  "summary", "date_published", "date_modified", "author", "authors"]  # fmt: skip
json_items = st.one_of(
    st.fixed_dictionaries({}, optional=dict.fromkeys(JSON_ITEM_KEYS, field_text | json_values)),
    json_values,
)


@st.composite
def json_feeds(draw) -> bytes:
    feed = {"version": draw(st.sampled_from(["https://jsonfeed.org/version/1.1", "1", ""])),
            "title": draw(field_text | json_values),
            "items": draw(st.lists(json_items, max_size=5) | json_values)}  # fmt: skip
    return json.dumps(feed).encode()


@bounded(30)
@given(body=st.one_of(rss_feeds(), atom_feeds(), json_feeds()))
def test_hostile_feeds_are_stored_sanitised_or_refused_in_words(source, body):
    read_and_store(source, body)


def test_nul_escaped_in_a_json_feed_is_not_stored(source):
    feed = {"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "a\u0000b", "title": "Ré\u0000union", "content_text": "x\u0000y",
         "url": "https://example.org/\u0000", "authors": [{"name": "A\u0000"}]}]}  # fmt: skip

    items = read_and_store(source, json.dumps(feed).encode())

    assert [(i.guid, i.title) for i in items] == [("ab", "Réunion")]


def test_non_ascii_encoding_name_is_refused_in_words(source):
    body = b'<?xml version="1.0" encoding="\x80UTF-8"?><rss version="2.0"><channel/></rss>'

    assert read_and_store(source, body) is None


def test_deeply_nested_json_feed_is_refused_in_words(source):
    assert read_and_store(source, b'{"version": ' + b"[" * 100_000) is None


# --- OPML -----------------------------------------------------------------------------


def import_opml(data: bytes) -> str | None:
    before = sorted(Source.objects.values_list("url", flat=True))
    try:
        services.import_opml(data=data)
    except OPMLError as exc:
        assert str(exc)
        assert sorted(Source.objects.values_list("url", flat=True)) == before
        return str(exc)
    return None


@bounded(25)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_as_opml_are_imported_or_refused_cleanly(data):
    import_opml(data)


@pytest.mark.parametrize("name", ["sources.opml", "bad.opml"])
@bounded(10)
@given(data=st.data())
def test_damaged_real_opml_is_imported_or_refused_cleanly(name, data):
    import_opml(data.draw(mutated((FILES / name).read_bytes())))


@st.composite
def outlines(draw, depth: int = 0) -> str:
    attributes = draw(st.dictionaries(
        st.sampled_from(["text", "title", "xmlUrl", "xmlurl", "htmlUrl", "category", "type"]),
        field_text | st.sampled_from(["https://a.example/f", "ftp://x", "http://", "https://b"]),
        max_size=5))  # fmt: skip
    attrs = "".join(f' {k}="{escape(v, {chr(34): "&quot;"})}"' for k, v in attributes.items())
    children = draw(st.lists(outlines(depth + 1), max_size=2)) if depth < 3 else []
    return f"<outline{attrs}>{''.join(children)}</outline>"


@bounded(30)
@given(body=st.lists(outlines(), max_size=4), encoding=st.sampled_from(ENCODINGS))
def test_hostile_opml_is_imported_whole_or_refused_naming_the_outline(body, encoding):
    text = f"<?xml version='1.0'?><opml version='2.0'><body>{''.join(body)}</body></opml>"
    error = import_opml(encode(text, encoding))
    if error is None:
        assert all(s.url.startswith(("http://", "https://")) for s in Source.objects.all())


def test_deeply_nested_opml_is_refused_in_words():
    nested = "<outline text='x'>" * 5000 + "</outline>" * 5000
    error = import_opml(f"<opml><body>{nested}</body></opml>".encode())

    assert error and "OPML" in error


def test_an_entry_feedparser_could_not_read_is_stored_without_its_summary(source):
    """Found by the fuzz run: a NUL byte breaking a CDATA end makes feedparser give
    ``None`` for the summary."""
    body = (
        (FILES / "rss20.xml")
        .read_bytes()
        .replace(b"</strong>.</p>]]></description>", b"</strong>.</p>\x00]></description>", 1)
    )
    read_and_store(source, body)

    assert Item.objects.filter(source=source).count() == 3
