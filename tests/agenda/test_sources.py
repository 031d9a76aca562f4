import http.server
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.agenda import tasks
from essaim.agenda.imports import sources
from essaim.agenda.models import CalendarSource, Event
from essaim.moderation.models import Status

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


class CalendarServer:
    """A stand-in calendar server on 127.0.0.1: serves ``body`` with an ETag, honours
    If-None-Match with 304, and records the conditional headers it received."""

    def __init__(self):
        self.body = (FILES / "nextcloud.ics").read_bytes()
        self.status = 200
        self.requests: list[dict] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                etag = f'"v{hash(outer.body) & 0xFFFF}"'
                outer.requests.append({"If-None-Match": self.headers.get("If-None-Match"),
                                       "User-Agent": self.headers.get("User-Agent")})  # fmt: skip
                if outer.status != 200:
                    self.send_response(outer.status)
                    self.end_headers()
                elif self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/calendar; charset=utf-8")
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", "Wed, 18 Nov 2026 10:00:00 GMT")
                    self.end_headers()
                    self.wfile.write(outer.body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/agenda.ics"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    stand_in = CalendarServer()
    yield stand_in
    stand_in.close()


def make_source(url: str, **fields) -> CalendarSource:
    fields.setdefault("refresh_every_hours", 6)
    return CalendarSource.objects.create(name="Repair cafés", url=url, **fields)


def test_refresh_imports_then_304_writes_nothing(server):
    source = make_source(server.url, publish_directly=True)
    sources.refresh_source(source=source)
    source.refresh_from_db()
    event = Event.objects.get(source=source)
    assert event.status == Status.PUBLISHED
    assert source.etag.startswith('"v') and source.last_modified.endswith("GMT")
    first_success = source.last_success_at

    later = timezone.now() + timedelta(hours=7)
    result = sources.refresh_source(source=source, now=later)

    source.refresh_from_db()
    assert result == "inchangé (HTTP 304)"
    assert server.requests[-1]["If-None-Match"] == source.etag
    assert server.requests[-1]["User-Agent"].startswith("Essaim/")
    assert source.last_fetched_at == later
    assert source.last_success_at == later > first_success
    assert Event.objects.get(source=source).updated_at == event.updated_at


def test_untrusted_source_imports_pending_events(server):
    source = make_source(server.url, publish_directly=False)
    sources.refresh_source(source=source)

    assert Event.objects.get(source=source).status == Status.PENDING


def test_changed_calendar_is_imported_again(server):
    source = make_source(server.url, publish_directly=True)
    sources.refresh_source(source=source)
    server.body = server.body.replace(b"Repair caf\xc3\xa9 de la Riche", b"Repair caf\xc3\xa9 !")
    sources.refresh_source(source=source)

    assert [e.title for e in Event.objects.filter(source=source)] == ["Repair café !"]


def test_http_error_is_recorded_in_words_and_backs_off(server):
    source = make_source(server.url)
    server.status = 500
    now = timezone.now()
    result = sources.refresh_source(source=source, now=now)

    source.refresh_from_db()
    assert result.startswith("erreur : Téléchargement impossible")
    assert "HTTP 500" in source.last_error
    assert (source.failures, source.last_fetched_at, source.last_success_at) == (1, now, None)
    assert sources.next_refresh(source) == now + timedelta(hours=12)  # 6 h, doubled
    sources.refresh_source(source=source, now=now)
    source.refresh_from_db()
    assert sources.next_refresh(source) == now + timedelta(hours=24)


def test_broken_calendar_is_recorded_and_nothing_written(server):
    source = make_source(server.url)
    server.body = (FILES / "broken-line.ics").read_bytes()
    sources.refresh_source(source=source)

    source.refresh_from_db()
    assert "ligne 18" in source.last_error
    assert not Event.objects.exists()


def test_success_clears_the_error_and_the_back_off(server):
    source = make_source(server.url, last_error="Ancienne erreur", failures=3)
    sources.refresh_source(source=source)

    source.refresh_from_db()
    assert (source.last_error, source.failures) == ("", 0)


def test_only_due_sources_are_refreshed(server):
    now = timezone.now()
    due = make_source(server.url, last_fetched_at=now - timedelta(hours=7))
    fresh = CalendarSource.objects.create(name="Récente", url=server.url, refresh_every_hours=6,
                                          last_fetched_at=now - timedelta(hours=1))  # fmt: skip
    CalendarSource.objects.create(name="Manuelle", url=server.url)  # never automatic

    results = sources.refresh_due_sources(now=now)

    assert list(results) == [due.name]
    fresh.refresh_from_db()
    assert fresh.last_fetched_at == now - timedelta(hours=1)


def test_unreachable_source_does_not_stop_the_periodic_task():
    CalendarSource.objects.create(name="Morte", url="http://127.0.0.1:9/agenda.ics",
                                  refresh_every_hours=1)  # fmt: skip
    results = tasks.refresh_calendar_sources.call()

    assert results["Morte"].startswith("erreur : Téléchargement impossible")
    assert CalendarSource.objects.get(name="Morte").failures == 1


def test_refresh_task_is_periodic(settings):
    assert settings.ESSAIM_PERIODIC_TASKS["essaim.agenda.tasks.refresh_calendar_sources"] == 3600


# --- back office ------------------------------------------------------------------------------


def test_moderator_refreshes_a_source_now(client, moderator, server):
    source = make_source(server.url, publish_directly=True)
    client.force_login(moderator)
    url = reverse("agenda_admin:refresh-source", args=[source.pk])

    page = client.get(url)
    assert "Actualiser maintenant" in page.content.decode()
    response = client.post(url)

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.last_success_at is not None  # the immediate test backend ran the task
    assert Event.objects.filter(source=source).count() == 1


def test_outsider_is_refused_the_refresh(client, outsider, server):
    source = make_source(server.url)
    client.force_login(outsider)

    response = client.post(reverse("agenda_admin:refresh-source", args=[source.pk]))

    assert response.status_code in (302, 403)
    assert not server.requests
    source.refresh_from_db()
    assert source.last_fetched_at is None


def test_source_list_shows_health(admin_client, server):
    make_source(server.url, last_error="Téléchargement impossible : HTTP 500", failures=2)
    CalendarSource.objects.create(name="Saine", url=server.url, last_success_at=timezone.now())

    page = admin_client.get(reverse("agenda_calendar_sources:index")).content.decode()

    assert "En erreur (2 fois) : Téléchargement impossible : HTTP 500" in page
    assert "OK" in page
    assert reverse("agenda_admin:refresh-source",
                   args=[CalendarSource.objects.get(name="Saine").pk]) in page  # fmt: skip


def test_admin_adds_a_subscription(admin_client):
    response = admin_client.post(reverse("agenda_calendar_sources:add"), {
        "name": "Gancio Tours", "url": "https://gancio.example.org/feed/ics",
        "refresh_every_hours": "6", "licence": "CC-BY-SA-4.0",
    })  # fmt: skip

    assert response.status_code == 302
    source = CalendarSource.objects.get(name="Gancio Tours")
    assert (source.url, source.refresh_every_hours, source.publish_directly) == (
        "https://gancio.example.org/feed/ics", 6, False,
    )  # fmt: skip
