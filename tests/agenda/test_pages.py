import json
import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from essaim.agenda import services
from essaim.agenda.models import AttendanceMode, EventStatus
from essaim.moderation.models import PendingVersion, Status
from essaim.taxonomy.models import Theme
from essaim.taxonomy.services import load_themes
from tests.agenda.conftest import PARIS, make_event

pytestmark = pytest.mark.django_db
ORLEANS = "45234"


def soon(days=3, hour=18) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


def titles(response) -> list[str]:
    return re.findall(
        r'class="occurrence-title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def test_list_shows_coming_public_occurrences_grouped_by_day(client):
    make_event("Atelier vélo", start=soon(2))
    make_event("Repair café", start=soon(2, 10))
    make_event("Bal folk", start=soon(5))
    make_event("En attente", start=soon(2), status=Status.PENDING)
    make_event("Passé", start=soon(-5))
    response = client.get("/agenda/")
    assert response.status_code == 200
    assert titles(response) == ["Repair café", "Atelier vélo", "Bal folk"]
    assert response.content.decode().count('class="agenda-day-title"') == 2


def test_list_filters_by_commune_and_radius_and_theme(client):
    load_themes()
    reparation = Theme.objects.get(slug="reparation")
    make_event("À Tours", start=soon(), themes=[reparation])
    make_event("À Orléans", start=soon(), commune=ORLEANS)
    assert titles(client.get("/agenda/?pres=Tours&rayon=10")) == ["À Tours"]
    assert titles(client.get("/agenda/?pres=Orléans&rayon=20")) == ["À Orléans"]
    assert titles(client.get("/agenda/?theme=reemploi-dechets")) == ["À Tours"]
    assert titles(client.get("/agenda/?en_ligne=1")) == []


def test_unreadable_filters_are_shown_next_to_their_field(client):
    make_event("Atelier", start=soon())
    response = client.get("/agenda/?du=demain&theme=inconnu")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="f-du-error">Date illisible : demain' in body
    assert 'id="f-theme-error">Thème inconnu : inconnu.' in body
    assert 'aria-describedby="f-du-error"' in body


def test_list_paginates_with_rel_next(client, monkeypatch):
    monkeypatch.setattr("essaim.agenda.views.listing.PER_PAGE", 2)
    for number in range(3):
        make_event(f"Atelier {number}", start=soon(number + 1))
    first = client.get("/agenda/?gratuit=1").content.decode()
    assert '<link rel="next" href="?gratuit=1&amp;page=2">' in first
    assert titles(client.get("/agenda/?gratuit=1&page=2")) == ["Atelier 2"]


def test_calendar_shows_the_month_with_each_date_in_its_cell(client):
    make_event("Atelier du mardi", start=datetime(2027, 3, 16, 18, tzinfo=PARIS),
               rrule="FREQ=WEEKLY;COUNT=3")  # fmt: skip
    response = client.get("/agenda/?vue=calendrier&mois=2027-03")
    body = response.content.decode()
    assert "mars 2027" in body and "<caption>" in body
    cells = re.findall(r"<td[^>]*>\s*<span class=\"day-number\">(\d+)</span>\s*<ul", body)
    assert cells == ["16", "23", "30"]
    assert "mois=2027-02" in body and "mois=2027-04" in body


def test_calendar_spreads_a_multi_day_event_over_its_days(client):
    make_event("Festival", start=datetime(2027, 5, 7, 0, tzinfo=PARIS),
               end=datetime(2027, 5, 10, 0, tzinfo=PARIS), all_day=True)  # fmt: skip
    body = client.get("/agenda/?vue=calendrier&mois=2027-05").content.decode()
    assert re.findall(r"day-number\">(\d+)</span>\s*<ul", body) == ["7", "8", "9"]


def test_map_view_lists_each_place_once(client):
    make_event("Série", start=soon(), rrule="FREQ=WEEKLY;COUNT=3")
    make_event("En ligne", start=soon(), commune=None, attendance_mode=AttendanceMode.ONLINE,
               online_url="https://visio.example.org/")  # fmt: skip
    response = client.get("/agenda/?vue=carte")
    places = json.loads(re.search(r'id="agenda-places" type="application/json">(.*?)</script>',
                                  response.content.decode()).group(1))  # fmt: skip
    assert [p["title"] for p in places] == ["Série"]
    assert places[0]["url"] == "/agenda/serie/" and 47 < places[0]["lat"] < 48


def test_detail_has_json_ld_with_offsets_for_each_coming_date(client):
    event = make_event("Atelier du mardi", start=datetime(2027, 3, 23, 18, tzinfo=PARIS),
                       rrule="FREQ=WEEKLY;COUNT=2", organiser_name="Collectif vélo")  # fmt: skip
    response = client.get(event.get_absolute_url())
    raw = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    documents = json.loads(raw.group(1))
    assert [(d["startDate"], d["endDate"]) for d in documents] == [
        ("2027-03-23T18:00:00+01:00", "2027-03-23T20:00:00+01:00"),
        ("2027-03-30T18:00:00+02:00", "2027-03-30T20:00:00+02:00"),
    ]
    first = documents[0]
    assert first["eventStatus"] == "https://schema.org/EventScheduled"
    assert first["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert first["location"][0]["address"]["addressLocality"] == "Tours"
    assert first["organizer"]["name"] == "Collectif vélo"
    assert first["isAccessibleForFree"] is True


def test_detail_of_cancelled_online_event(client):
    event = make_event("Webinaire", start=soon(), commune=None,
                       attendance_mode=AttendanceMode.ONLINE, online_url="https://visio.example.org/",
                       event_status=EventStatus.CANCELLED)  # fmt: skip
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Cet événement est annulé." in body and 'href="https://visio.example.org/"' in body
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', body, re.S).group(1))[0]
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["location"] == [{"@type": "VirtualLocation", "url": "https://visio.example.org/"}]


def test_detail_includes_the_registration_block_only_for_builtin(client, settings, tmp_path):
    event = make_event("Formation", start=soon(), registration_mode="builtin", capacity=10)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "10 places" in body
    other = make_event("Sans", start=soon(), registration_mode="none")
    assert "Sans inscription" in client.get(other.get_absolute_url()).content.decode()


def test_pending_and_hidden_events_are_never_shown(client):
    pending = make_event("Secret", start=soon(), status=Status.PENDING)
    hidden = make_event("Masqué", start=soon(), is_hidden=True)
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for url in ("/agenda/", "/agenda/?vue=calendrier", "/agenda/?vue=carte", "/agenda/embed/", "/"):
        body = client.get(url).content.decode()
        assert "Secret" not in body and "Masqué" not in body, url


def test_search_finds_public_events_only(client):
    make_event("Grainothèque partagée", start=soon())
    make_event("Grainothèque cachée", start=soon(), status=Status.PENDING)
    body = client.get("/recherche/?q=grainothèque").content.decode()
    assert "Grainothèque partagée" in body and "Grainothèque cachée" not in body


@pytest.mark.parametrize("url", ["/agenda/", "/agenda/?vue=calendrier", "/agenda/?vue=carte",
                                 "/agenda/embed/", "/"])  # fmt: skip
def test_listings_do_not_query_per_event(client, url, django_assert_max_num_queries):
    make_event("Un", start=soon(1))
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in (2, 3):
        make_event(f"Autre {number}", start=soon(number), rrule="FREQ=WEEKLY;COUNT=3")
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]


def test_detail_does_not_query_per_date(client):
    one = make_event("Un", start=soon())
    three = make_event("Trois", start=soon(), rrule="FREQ=WEEKLY;COUNT=3")
    with CaptureQueriesContext(connection) as single:
        client.get(one.get_absolute_url())
    with CaptureQueriesContext(connection) as series:
        client.get(three.get_absolute_url())
    assert len(series) == len(single)


def test_embed_may_be_framed_and_other_pages_may_not(client):
    make_event("Atelier", start=soon())
    embed = client.get("/agenda/embed/")
    ancestors = re.search(r"frame-ancestors ([^;]*)", embed["Content-Security-Policy"]).group(1)
    assert "X-Frame-Options" not in embed and "*" in ancestors.split()
    assert client.get("/agenda/")["X-Frame-Options"] == "DENY"
    assert 'target="_blank"' in embed.content.decode()


def test_agenda_page_shows_the_embed_snippets_with_its_filters(client):
    body = client.get("/agenda/?gratuit=1").content.decode()
    assert "/agenda/embed/?gratuit=1" in body
    assert '/static/agenda/widget.js" data-filtres="gratuit=1" async&gt;' in body


def test_home_and_territory_pages_show_coming_events(client):
    make_event("Atelier de Tours", start=soon())
    assert "Atelier de Tours" in client.get("/").content.decode()
    assert "Atelier de Tours" in client.get("/territoires/37261/").content.decode()
    assert "Atelier de Tours" not in client.get(f"/territoires/{ORLEANS}/").content.decode()


def test_theme_page_shows_its_coming_events(client):
    load_themes()
    theme = Theme.objects.get(slug="reparation")
    make_event("Repair café", start=soon(), themes=[theme])
    assert "Repair café" in client.get("/themes/reparation/").content.decode()


def test_sitemap_lists_public_events(client):
    make_event("Public", start=soon())
    make_event("Privé", start=soon(), status=Status.PENDING)
    body = client.get("/sitemap-evenements.xml").content.decode()
    assert "/agenda/public/" in body and "/agenda/prive/" not in body


# --- proposal and edit -------------------------------------------------------------------


def proposal(theme, **extra) -> dict:
    from essaim.moderation.antispam import issue_timestamp

    day = timezone.localdate() + timedelta(days=7)
    return {"title": "Troc de graines", "summary": "Apportez vos graines.", "themes": [theme.pk],
            "attendance_mode": "offline", "commune_label": "Tours", "day": day.isoformat(),
            "start_time": "14:00", "end_time": "17:00", "registration_mode": "none",
            "licence": "CC-BY-SA-4.0", "proposer_email": "lea@example.net",
            "antispam_ts": issue_timestamp(), **extra}  # fmt: skip


def test_anonymous_proposal_waits_for_moderation(client, settings):
    settings.ESSAIM_ANTISPAM_MIN_SECONDS = 0
    load_themes()
    theme = Theme.objects.get(slug="reparation")
    response = client.post("/agenda/proposer/", proposal(theme))
    assert response.status_code == 302 and response["Location"] == "/agenda/proposer/merci/"
    assert "Troc de graines" in client.get("/agenda/proposer/merci/").content.decode()
    assert "Troc de graines" not in client.get("/agenda/").content.decode()


def test_preview_button_shows_dates_without_saving(client, settings):
    settings.ESSAIM_ANTISPAM_MIN_SECONDS = 0
    load_themes()
    theme = Theme.objects.get(slug="reparation")
    response = client.post("/agenda/proposer/", proposal(theme, repeat="weekly", repeat_count="3",
                                                         apercu="1"))  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and body.count("14h00") >= 3
    from essaim.agenda.models import Event

    assert not Event.objects.exists()


def test_invalid_proposal_answers_400_with_messages(client, settings):
    load_themes()
    theme = Theme.objects.get(slug="reparation")
    response = client.post("/agenda/proposer/", proposal(theme, end_time="10:00"))
    assert response.status_code == 400
    assert "La fin doit venir après le début." in response.content.decode()


def test_owner_edits_with_the_key_and_changes_wait_for_moderation(client, owner):
    event = make_event("Atelier", start=soon())
    url = f"/agenda/{event.slug}/modifier/?cle={services.link_key(event)}"
    form = client.get(url)
    assert form.status_code == 200 and 'value="Atelier"' in form.content.decode()
    data = {**proposal(Theme.objects.first() or _theme()), "title": "Atelier (déplacé)",
            "event_status": "postponed"}  # fmt: skip
    data["themes"] = [t.pk for t in Theme.objects.all()[:1]]
    response = client.post(url, data)
    assert "Modification envoyée" in response.content.decode()
    assert set(PendingVersion.objects.get().changes) >= {"title", "event_status"}


def _theme():
    load_themes()
    return Theme.objects.first()


def test_outsider_is_refused_on_edit(client, outsider, owner):
    event = make_event("Atelier", start=soon(), owner=owner)
    pending = make_event("En attente", start=soon(), status=Status.PENDING, owner=owner)
    client.force_login(outsider)
    assert client.get(f"/agenda/{event.slug}/modifier/").status_code == 403
    assert client.post(f"/agenda/{event.slug}/modifier/", {"title": "X"}).status_code == 403
    assert client.get(f"/agenda/{event.slug}/modifier/?cle=faux").status_code == 403
    assert client.get(f"/agenda/{pending.slug}/modifier/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/agenda/{event.slug}/modifier/").status_code == 200
