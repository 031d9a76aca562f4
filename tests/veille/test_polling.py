"""Polling real feed files over real HTTP on 127.0.0.1: formats, encodings, errors in
words, conditional requests, redirects, Retry-After, back-off, timeouts, size cap."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from essaim.veille import polling
from essaim.veille.models import Item, Source
from essaim.veille.models.sources import MAX_INTERVAL, MIN_INTERVAL
from essaim.veille.parsing import Entry, ParsedFeed
from tests.veille.conftest import LAST_MODIFIED

pytestmark = pytest.mark.django_db

FORMATS = ["rss091.xml", "rss10.rdf", "rss20.xml", "atom.xml", "feed.json",
           "latin1_declared.xml", "latin1_undeclared.xml", "nul_bytes.xml"]  # fmt: skip


def source_at(feed_server, path: str, **fields) -> Source:
    return Source.objects.create(url=feed_server.url(path), **fields)


def poll_all() -> polling.RoundReport:
    return polling.poll_due(everything=True)


def test_every_supported_format_and_encoding_yields_items(feed_server):
    sources = [source_at(feed_server, f"/files/{name}") for name in FORMATS]
    report = poll_all()
    assert (report.polled, report.failed) == (len(FORMATS), 0)
    counts = {s.url.rsplit("/", 1)[-1]: s.items.count() for s in sources}
    assert counts == {"rss091.xml": 2, "rss10.rdf": 2, "rss20.xml": 3, "atom.xml": 2,
                      "feed.json": 2, "latin1_declared.xml": 1, "latin1_undeclared.xml": 1,
                      "nul_bytes.xml": 3}  # fmt: skip
    titles = set(Item.objects.values_list("title", flat=True))
    assert "Fête de l'épicerie : café, gâteaux et échanges" in titles
    assert "Réemploi : record de collecte en 2024" in titles  # Atom type="html" title
    assert "Insertion : les ateliers d'été ont accueilli 120 jeunes" in titles  # NUL removed


def test_sources_get_title_site_and_validators_from_their_feed(feed_server):
    source = source_at(feed_server, "/files/rss20.xml")
    poll_all()
    source.refresh_from_db()
    assert (source.title, source.site_url) == ("Le Fil de l'ESS", "https://fil-ess.example.org/")
    assert source.etag.startswith('"') and source.last_modified == LAST_MODIFIED
    assert (source.error_count, source.last_error) == (0, "")
    assert source.last_success_at is not None


def test_items_keep_fields_and_canonical_links(feed_server):
    source_at(feed_server, "/files/rss10.rdf")
    source_at(feed_server, "/files/feed.json")
    source_at(feed_server, "/files/atom.xml")
    poll_all()
    links = set(Item.objects.values_list("link", flat=True))
    assert "https://cress.example.org/mois-ess" in links  # utm_* removed
    assert "https://cress.example.org/prix-ess" in links  # fragment removed
    assert feed_server.url("/formation-valoriste") in links  # relative Atom link resolved
    item = Item.objects.get(guid="https://tiers-lieux.example.org/p/fablab-vendome")
    assert item.author == "Léa Dubois"
    assert item.published_at == datetime(2024, 10, 6, 7, 0, tzinfo=UTC)
    assert "<em>repair café</em>" in item.summary_html
    text_item = Item.objects.get(guid="tl-2")
    assert text_item.summary_html.startswith("<p>Service au bar")


def test_second_round_sends_validators_verbatim_and_gets_304(feed_server):
    source = source_at(feed_server, "/files/rss20.xml")
    poll_all()
    source.refresh_from_db()
    report = poll_all()
    first, second = feed_server.hits("/files/rss20.xml")
    assert "If-None-Match" not in first
    assert second["If-None-Match"] == source.etag
    assert second["If-Modified-Since"] == LAST_MODIFIED
    assert (report.not_modified, report.new_items) == (1, 0)
    assert Item.objects.count() == 3


def test_repolling_a_changed_feed_adds_no_duplicate(feed_server):
    body = (feed_server_files() / "rss20.xml").read_bytes()
    feed_server.put("/dyn.xml", body)
    source_at(feed_server, "/dyn.xml")
    poll_all()
    feed_server.put("/dyn.xml", body.replace(b"</channel>", b" </channel>"))  # new ETag
    report = poll_all()
    assert (report.not_modified, report.new_items, Item.objects.count()) == (0, 0, 3)


def feed_server_files():
    from tests.veille.conftest import FILES

    return FILES


def test_new_guid_with_same_link_is_not_a_new_item(feed_server):
    body = (feed_server_files() / "rss20.xml").read_bytes()
    feed_server.put("/dyn.xml", body)
    source_at(feed_server, "/dyn.xml")
    poll_all()
    # The publisher switched GUIDs and moved to https links with tracking (FreshRSS #5151).
    changed = body.replace(b"fil-ess-10", b"https://fil-ess.example.org/?p=10").replace(
        b"/gabare-10-ans/</link>", b"/gabare-10-ans/?utm_source=rss</link>"
    )
    feed_server.put("/dyn.xml", changed)
    poll_all()
    assert Item.objects.count() == 3


def test_the_same_article_from_two_sources_is_stored_once(feed_server):
    body = (feed_server_files() / "rss20.xml").read_bytes()
    feed_server.put("/a.xml", body)
    # A syndicating site: other GUIDs and links, the same titles and texts.
    feed_server.put("/b.xml", body.replace(b"fil-ess", b"relais"))
    source_at(feed_server, "/a.xml")
    source_at(feed_server, "/b.xml")
    poll_all()
    assert Item.objects.count() == 3


def test_an_item_whose_content_changed_is_updated_in_place(feed_server):
    body = (feed_server_files() / "rss20.xml").read_bytes()
    feed_server.put("/dyn.xml", body)
    source_at(feed_server, "/dyn.xml")
    poll_all()
    feed_server.put("/dyn.xml", body.replace(b"120 jeunes", b"125 jeunes"))
    poll_all()
    assert Item.objects.count() == 3
    assert Item.objects.filter(title__contains="125 jeunes").count() == 1


def test_broken_feed_is_an_error_in_words_and_the_round_goes_on(feed_server):
    broken = source_at(feed_server, "/files/broken.xml")
    fine = source_at(feed_server, "/files/atom.xml")
    report = poll_all()
    broken.refresh_from_db()
    assert (report.polled, report.failed) == (2, 1)
    assert broken.last_error.startswith("XML mal formé (ligne")
    assert broken.error_count == 1 and broken.items.count() == 0
    assert fine.items.count() == 2


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/files/page.html", "Cette adresse donne une page web, pas un flux."),
        ("/files/absent.xml", "Le serveur a répondu 404 (adresse introuvable)."),
        ("/status/500", "Le serveur a répondu 500 (erreur interne du serveur)."),
        ("/slow", "Délai dépassé : le serveur n'a pas répondu en 1 s."),
        ("/huge", "Réponse trop volumineuse : plus de 1 Mio."),
    ],
)
def test_failures_are_recorded_in_french_words(feed_server, path, words):
    source = source_at(feed_server, path)
    poll_all()
    source.refresh_from_db()
    assert source.last_error == words


def test_nobody_listening_is_an_error_in_words(db):
    source = Source.objects.create(url="http://127.0.0.1:9/feed.xml")
    poll_all()
    source.refresh_from_db()
    assert source.last_error == "Connexion refusée : aucun serveur n'écoute à cette adresse."


def test_permanent_redirect_is_remembered_temporary_is_not(feed_server):
    moved = source_at(feed_server, "/redirect/301/files/atom.xml")
    again = source_at(feed_server, "/redirect/308/files/feed.json")
    borrowed = source_at(feed_server, "/redirect/302/files/rss20.xml")
    poll_all()
    for source in (moved, again, borrowed):
        source.refresh_from_db()
    assert moved.url == feed_server.url("/files/atom.xml")
    assert again.url == feed_server.url("/files/feed.json")
    assert borrowed.url == feed_server.url("/redirect/302/files/rss20.xml")
    assert borrowed.items.count() == 3


def test_retry_after_in_seconds_is_honoured(feed_server):
    source = source_at(feed_server, "/status/429?retry=7200")
    before = timezone.now()
    poll_all()
    source.refresh_from_db()
    assert before + timedelta(seconds=7190) <= source.retry_after_until
    assert source.next_poll_at >= source.retry_after_until
    assert source.last_error.startswith("Le serveur a répondu 429 (trop de requêtes).")


def test_retry_after_is_capped_at_two_days(feed_server):
    source = source_at(feed_server, "/status/503?retry=Wed,%2021%20Oct%202099%2007:28:00%20GMT")
    poll_all()
    source.refresh_from_db()
    assert source.retry_after_until <= timezone.now() + timedelta(days=2)
    assert source.retry_after_until >= timezone.now() + timedelta(days=2, minutes=-5)


def test_errors_back_off_exponentially_and_success_resets(feed_server):
    source = source_at(feed_server, "/files/absent.xml", poll_interval=timedelta(hours=1))
    delays = []
    for _ in range(3):
        before = timezone.now()
        poll_all()
        source.refresh_from_db()
        delays.append(round((source.next_poll_at - before) / timedelta(hours=1)))
    assert delays == [2, 4, 8] and source.error_count == 3
    source.url = feed_server.url("/files/rss20.xml")
    source.save()
    poll_all()
    source.refresh_from_db()
    assert (source.error_count, source.last_error) == (0, "")


def test_no_more_than_two_requests_at_once_per_host(feed_server, settings):
    settings.ESSAIM_VEILLE_WORKERS = 8
    for n in range(8):
        source_at(feed_server, f"/delay/feed{n}")
    report = poll_all()
    assert report.failed == 0 and report.polled == 8
    assert feed_server.max_in_flight == 2


def test_lanes_split_each_host_in_two_at_most():
    targets = [polling.Target(n, f"https://{host}/{n}", "", "")
               for n, host in enumerate(["a.org"] * 5 + ["b.org"] * 2 + ["c.org"])]  # fmt: skip
    lanes = polling.plan_lanes(targets, 2)
    by_host = {}
    for lane in lanes:
        hosts = {polling.host_of(t.url) for t in lane}
        assert len(hosts) == 1
        by_host.setdefault(hosts.pop(), []).append(len(lane))
    assert by_host == {"a.org": [3, 2], "b.org": [1, 1], "c.org": [1]}


def entry(published):
    return Entry(guid="g", link="", title="t", summary_html="", author="", published=published)


def test_poll_interval_follows_how_often_a_source_publishes():
    now = timezone.now()
    daily = ParsedFeed(entries=[entry(now - timedelta(days=d)) for d in range(1, 15)])
    busy = ParsedFeed(entries=[entry(now - timedelta(minutes=10 * n)) for n in range(200)])
    quiet = ParsedFeed(entries=[entry(now - timedelta(days=40))])
    assert polling.adapted_interval(daily, now) == timedelta(days=1)
    assert polling.adapted_interval(busy, now) == MIN_INTERVAL
    assert polling.adapted_interval(quiet, now) == MAX_INTERVAL
    twice_a_day = ParsedFeed(entries=[entry(now - timedelta(hours=12 * n)) for n in range(1, 30)])
    assert polling.adapted_interval(twice_a_day, now) == timedelta(hours=12)


def test_only_due_sources_are_polled(feed_server):
    due = source_at(feed_server, "/files/rss20.xml")
    later = source_at(feed_server, "/files/atom.xml",
                      next_poll_at=timezone.now() + timedelta(hours=1))  # fmt: skip
    report = polling.poll_due()
    assert report.polled == 1
    assert due.items.count() == 3 and later.items.count() == 0


def test_poll_sources_command_reports_progress_and_totals(feed_server, capsys):
    source_at(feed_server, "/files/rss20.xml")
    source_at(feed_server, "/files/broken.xml")
    call_command("poll_sources")
    out = capsys.readouterr().out
    assert "[2/2]" in out and "XML mal formé" in out
    assert (
        "2 source(s) relevée(s) : 3 nouvel(s) article(s), 0 inchangée(s) (304), 1 en erreur." in out
    )
