"""The anonymous whole-page cache: shared pages are served whole, and any change to
content — publishing, hiding, an edited Wagtail page, a bulk map import — shows on the
next request; personal pages (signed in, holding a CSRF token) are never shared."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from essaim.moderation import services as moderation
from essaim.moderation.models import Status
from tests.initiatives.conftest import make_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.ESSAIM_PAGE_CACHE_SECONDS = 60


def get(client, path: str):
    return client.get(path, HTTP_HOST="essaim.example.org")


def test_a_second_anonymous_visit_is_served_whole_without_a_query(client):
    first = get(client, "/initiatives/")
    with CaptureQueriesContext(connection) as queries:
        second = get(client, "/initiatives/")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content and len(queries) == 0
    # the security headers are part of what is kept
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY" and "Permissions-Policy" in second


def test_publishing_and_archiving_show_on_the_next_request(client, moderator):
    pending = make_initiative("Ressourcerie en attente", status=Status.PENDING)
    assert "Ressourcerie en attente" not in get(client, "/initiatives/").content.decode()
    assert get(client, "/initiatives/")["X-Page-Cache"] == "hit"

    moderation.publish(obj=pending, by=moderator)
    after_publishing = get(client, "/initiatives/")
    assert "Ressourcerie en attente" in after_publishing.content.decode()

    moderation.archive(obj=pending, by=moderator, reason="Fermée.")
    assert "Ressourcerie en attente" not in get(client, "/initiatives/").content.decode()


def test_a_wagtail_page_published_shows_on_the_next_request(client):
    from tests.publications.conftest import make_article

    get(client, "/articles/")
    article = make_article("Une coopérative de cyclistes", live=False)
    assert "Une coopérative de cyclistes" not in get(client, "/articles/").content.decode()

    article.save_revision().publish()

    assert "Une coopérative de cyclistes" in get(client, "/articles/").content.decode()


def test_a_bulk_map_change_without_signals_shows_on_the_next_request(client):
    from essaim.initiatives import clustering

    get(client, "/carte/")
    assert get(client, "/carte/")["X-Page-Cache"] == "hit"

    clustering.bump_version()  # what a COPY import does after writing

    assert get(client, "/carte/")["X-Page-Cache"] == "miss"


def test_each_query_string_is_its_own_page(client):
    make_initiative("Jardin de Tours")
    make_initiative("Épicerie d'Orléans", commune="45234", slug="epicerie-orleans")

    tours = get(client, "/initiatives/?territoire=37").content.decode()
    loiret = get(client, "/initiatives/?territoire=45").content.decode()

    assert "Jardin de Tours" in tours and "Jardin de Tours" not in loiret
    assert "Épicerie d&#x27;Orléans" in loiret or "Épicerie d'Orléans" in loiret


def test_signed_in_visitors_are_never_served_or_stored(client, owner):
    client.force_login(owner)
    response = get(client, "/initiatives/")
    again = get(client, "/initiatives/")

    assert "X-Page-Cache" not in response and "X-Page-Cache" not in again


def test_a_page_holding_a_csrf_token_is_never_shared(client):
    first = get(client, "/initiatives/proposer/")
    stranger = type(client)()  # another anonymous visitor, without the cookie just set
    second = get(stranger, "/initiatives/proposer/")

    assert "csrfmiddlewaretoken" in first.content.decode()
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second


def test_a_visitor_who_opened_a_form_is_still_served_kept_pages(client):
    """The CSRF cookie does not make a page personal: only pages that render a token
    are, and those renew the cookie, so they are never kept."""
    form = get(client, "/initiatives/proposer/")
    assert "csrftoken" in client.cookies
    get(type(client)(), "/initiatives/")  # kept by another visitor

    page = get(client, "/initiatives/")
    again = get(client, "/initiatives/proposer/")

    assert page["X-Page-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert "X-Page-Cache" not in again and "csrftoken" in again.cookies
    assert form.cookies["csrftoken"].value == again.cookies["csrftoken"].value


def test_news_feeds_are_kept_and_show_a_publication_on_the_next_request(client):
    from tests.publications.conftest import make_article

    first = get(client, "/articles.rss")
    assert first["Content-Type"].startswith("application/rss+xml")
    assert get(client, "/articles.rss")["X-Page-Cache"] == "hit"

    make_article("Une coopérative de cyclistes")

    after = get(client, "/articles.rss")
    assert after["X-Page-Cache"] == "miss"
    assert "Une coopérative de cyclistes" in after.content.decode()


def test_errors_and_other_formats_are_not_kept(client):
    get(client, "/initiatives/nexiste-pas/")
    assert "X-Page-Cache" not in get(client, "/initiatives/nexiste-pas/")
    get(client, "/sante/")
    assert "X-Page-Cache" not in get(client, "/sante/")
    get(client, "/api/v1/initiatives")
    assert "X-Page-Cache" not in get(client, "/api/v1/initiatives")


def test_off_when_the_lifetime_is_zero(client, settings):
    settings.ESSAIM_PAGE_CACHE_SECONDS = 0
    get(client, "/initiatives/")
    assert "X-Page-Cache" not in get(client, "/initiatives/")


def test_a_proposal_waiting_for_moderation_keeps_the_pages(client):
    from essaim.initiatives import services
    from essaim.initiatives.models import Initiative

    get(client, "/initiatives/")
    services.propose_initiative(
        initiative=Initiative(name="Proposée anonymement", summary="En attente."),
        themes=[], by=None, email="anonyme@example.org",
    )  # fmt: skip

    assert get(client, "/initiatives/")["X-Page-Cache"] == "hit"


def test_hiding_a_published_item_read_from_the_database_outdates_the_pages(client, settings):
    from essaim.initiatives.models import Initiative

    settings.ESSAIM_REPORTS_BEFORE_HIDING = 1
    make_initiative("Jardin signalé")
    assert "Jardin signalé" in get(client, "/initiatives/").content.decode()

    moderation.report(obj=Initiative.objects.get(name="Jardin signalé"), reason="gone",
                      address_hash="quelqu'un")  # fmt: skip

    assert "Jardin signalé" not in get(client, "/initiatives/").content.decode()


def test_another_process_write_shows_once_the_version_is_read_again(client, monkeypatch):
    """Each process reads the content version at most once a second: a write made by
    another process (here: the counter bumped in the cache behind this process's back)
    shows on the first request after that second."""
    from django.core.cache import cache

    from essaim.common import pagecache

    get(client, "/initiatives/")
    assert get(client, "/initiatives/")["X-Page-Cache"] == "hit"
    # as another worker's write does (it reads the counter from the cache, not our memo)
    cache.set(pagecache.VERSION_KEY, pagecache.content_version() + 1, None)
    assert get(client, "/initiatives/")["X-Page-Cache"] == "hit"  # within the second

    clock = pagecache.time.monotonic() + pagecache.VERSION_MEMO_SECONDS
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock)
    assert get(client, "/initiatives/")["X-Page-Cache"] == "miss"


def test_a_write_after_the_cache_was_emptied_outdates_every_page_kept_since(client):
    """With the version gone (evicted, flushed), a write must not fall back to a number a
    process may still hold in its memo and keep serving pages rendered before it."""
    from django.core.cache import cache

    from essaim.common import pagecache

    get(client, "/initiatives/")
    held = pagecache.content_version()
    cache.delete(pagecache.VERSION_KEY)
    make_initiative("Épicerie solidaire arrivée après")

    assert pagecache.content_version() > held
    page = get(client, "/initiatives/")
    assert page["X-Page-Cache"] == "miss"
    assert "Épicerie solidaire arrivée après" in page.content.decode()


def test_an_image_rendition_made_while_a_page_renders_keeps_the_pages(client, settings, tmp_path):
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image

    from tests.common.test_images import upload

    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Atelier", file=ImageFile(upload(), name="atelier.jpg"))
    get(client, "/initiatives/")

    image.get_rendition("fill-120x90")  # as an article's first display does

    assert get(client, "/initiatives/")["X-Page-Cache"] == "hit"
    image.title = "Atelier vélo"
    image.save()  # the image itself is content: its title is its caption
    assert get(client, "/initiatives/")["X-Page-Cache"] == "miss"


def test_pages_kept_together_expire_spread_over_the_second_half_of_the_lifetime():
    from essaim.common.pagecache import page_lifetime

    lifetimes = [page_lifetime(300) for _ in range(1000)]

    assert min(lifetimes) >= 150 and max(lifetimes) <= 300
    assert len(set(lifetimes)) > 50  # not one instant for every page kept in a minute
    assert page_lifetime(1) == 1
