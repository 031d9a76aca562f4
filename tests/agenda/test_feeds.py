"""iCalendar and RSS feeds: valid, complete, stable, public only, and cheap to serve."""

import icalendar
import pytest

from essaim.agenda import recurrence
from essaim.agenda.models import EventChange, EventIcal
from tests.agenda.conftest import make_event, paris
from tests.agenda.feed_fixtures import (
    WINDOW,
    WINDOW_API,
    agenda_fixture,  # noqa: F401 (fixture)
    body,
    count_queries,
    expanded,
    parse_ics,
    synced,
    theme_fixture,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db


def vevents(cal: icalendar.Calendar, uid=None) -> list:
    return [v for v in cal.walk("VEVENT") if uid is None or str(v["UID"]) == uid]


def api_occurrences(client, query=WINDOW_API) -> set[tuple]:
    results = client.get(f"/api/v1/events?{query}&page_size=500").json()["results"]
    return {(r["uid"], r["recurrence_id"], r["start"], r["end"],
             recurrence.ICAL_STATUS.get(r["status"], "CONFIRMED")) for r in results}  # fmt: skip


def test_feed_expanded_by_a_client_equals_the_api_occurrences(client, agenda):
    cal = parse_ics(client.get(f"/agenda.ics?{WINDOW}"))
    seen = expanded(cal)
    assert seen == api_occurrences(client)
    series = str(agenda["series"].uid)
    assert sorted(s[2] for s in seen if s[0] == series) == [
        "2027-03-16T18:00:00+01:00",  # 23 March: EXDATE
        "2027-03-31T19:00:00+02:00",  # 30 March moved to Wednesday 31, after the DST change
        "2027-04-06T18:00:00+02:00",  # cancelled, still listed as such
        "2027-04-13T18:00:00+02:00", "2027-04-20T18:00:00+02:00",
    ]  # fmt: skip
    assert ("2027-04-09T00:00:00+02:00", "2027-04-12T00:00:00+02:00") in {
        (s[2], s[3]) for s in seen if s[0] == agenda["festival"].uid
    }


def test_series_stays_one_rrule_with_exdate_and_recurrence_id_vevents(client, agenda):
    cal = parse_ics(client.get(f"/agenda.ics?{WINDOW}"))
    master, moved, cancelled = vevents(cal, agenda["series"].uid)
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=6"
    assert master["EXDATE"].to_ical() == b"20270323T180000"
    assert master["EXDATE"].params["TZID"] == "Europe/Paris"
    assert moved["RECURRENCE-ID"].dt == paris(2027, 3, 30, 18, 0)
    assert (str(moved["SUMMARY"]), str(moved["DESCRIPTION"]).split("\n")[0]) == (
        "Atelier vélo (mercredi)", "Déplacé.")  # fmt: skip
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "X-ESSAIM-CHANGE" not in moved


def test_uids_and_whole_text_are_identical_across_requests(client, agenda):
    first = body(client.get(f"/agenda.ics?{WINDOW}"))
    second = body(client.get(f"/agenda.ics?{WINDOW}"))
    assert first == second
    uids = {str(v["UID"]) for v in vevents(icalendar.Calendar.from_ical(first))}
    assert uids == {agenda[k].uid for k in ("series", "festival", "online")}
    assert all("DTSTAMP" in v for v in vevents(icalendar.Calendar.from_ical(first)))


def test_one_compact_vtimezone_per_tzid_used(client, agenda):
    text = body(client.get(f"/agenda.ics?{WINDOW}")).decode()
    cal = icalendar.Calendar.from_ical(text)
    assert sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")) == [
        "America/Martinique", "Europe/Paris"]  # fmt: skip
    paris_tz = next(tz for tz in cal.walk("VTIMEZONE") if tz["TZID"] == "Europe/Paris")
    daylight = paris_tz.walk("DAYLIGHT")[0]
    # The change happens at 02:00 local standard time, the last Sunday of March.
    assert daylight["DTSTART"].dt.isoformat() == "2027-03-28T02:00:00"
    assert text.count("BEGIN:VTIMEZONE") == 2
    assert len(text.split("BEGIN:VTIMEZONE")[1]) < 1000  # not decades of RDATEs


def test_calendar_properties_for_subscribers(client, agenda):
    cal = parse_ics(client.get(f"/agenda.ics?{WINDOW}"))
    assert str(cal["X-WR-CALNAME"]) == "Agenda — Essaim" == str(cal["NAME"])
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert cal["REFRESH-INTERVAL"].to_ical() == b"PT6H"
    assert str(cal["URL"]) == f"http://testserver/agenda/?{WINDOW}"


def test_event_properties_plain_text_place_and_online_link(client, agenda):
    cal = parse_ics(client.get(f"/agenda.ics?{WINDOW}"))
    master = vevents(cal, agenda["series"].uid)[0]
    assert str(master["DESCRIPTION"]) == (
        "On répare ensemble, outils fournis.\n\nOn répare ensemble.\n\n"
        "http://testserver/agenda/atelier-velo/"
    )
    assert str(master["URL"]) == "http://testserver/agenda/atelier-velo/"
    assert str(master["LOCATION"]) == "Tours"
    assert (master["GEO"].latitude, master["GEO"].longitude) == (
        agenda["series"].latitude, agenda["series"].longitude)  # fmt: skip
    assert master["CATEGORIES"].cats == ["Réemploi"]
    organiser = master["ORGANIZER"]
    assert organiser.params["CN"] == "Les Amis du Vélo"
    assert str(organiser) == "http://testserver/agenda/organisateur/les-amis-du-velo.ics"
    assert "mailto" not in str(organiser)
    online = vevents(cal, agenda["online"].uid)[0]
    assert str(online["CONFERENCE"]) == "https://visio.example/coop?a=1,2"
    assert online["CONFERENCE"].params["FEATURE"] == "VIDEO"
    assert "LOCATION" not in online and "GEO" not in online


def test_long_multiline_text_folds_at_75_octets_and_round_trips(client):
    title = "Rencontre « économie sociale et solidaire » ; circuits courts, réemploi "
    summary = "Première ligne, avec virgule ; point-virgule\nDeuxième ligne é" + "à" * 150
    synced(make_event(title[:140], summary=summary[:280], start=paris(2027, 3, 10, 9, 0)))
    text = body(client.get(f"/agenda.ics?{WINDOW}"))
    assert max(len(line) for line in text.split(b"\r\n")) <= 75
    assert b"\n" not in text.replace(b"\r\n", b"")
    vevent = vevents(icalendar.Calendar.from_ical(text))[0]
    assert str(vevent["SUMMARY"]) == title[:140]
    assert str(vevent["DESCRIPTION"]).startswith(summary[:280] + "\n\n")


def test_unchanged_feed_answers_304_and_a_change_a_new_etag(client, agenda):
    first = client.get(f"/agenda.ics?{WINDOW}")
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=900" and first["Last-Modified"]
    again = client.get(f"/agenda.ics?{WINDOW}", headers={"If-None-Match": etag})
    assert (again.status_code, again["ETag"]) == (304, etag)
    agenda["festival"].title = "Festival renommé"
    agenda["festival"].save()
    changed = client.get(f"/agenda.ics?{WINDOW}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert b"Festival renomm" in body(changed)


def test_stored_text_follows_an_edited_change_and_theme(client, agenda, theme):
    body(client.get(f"/agenda.ics?{WINDOW}"))
    assert EventIcal.objects.count() == 3
    change = EventChange.objects.get(title="Atelier vélo (mercredi)")
    change.title = "Atelier vélo (jeudi)"
    change.save()
    theme.name = "Seconde main"
    theme.save()
    text = body(client.get(f"/agenda.ics?{WINDOW}")).decode()
    assert "SUMMARY:Atelier vélo (jeudi)" in text
    assert "CATEGORIES:Seconde main" in text and "Réemploi" not in text


PUBLIC_FEEDS = [
    f"/agenda.ics?{WINDOW}", f"/agenda.rss?{WINDOW}", "/donnees/evenements.ics",
    f"/agenda/theme/reemploi.ics?{WINDOW}", f"/agenda/theme/reemploi.rss?{WINDOW}",
    f"/agenda/organisateur/les-amis-du-velo.ics?{WINDOW}", f"/api/v1/events?{WINDOW_API}",
]  # fmt: skip


@pytest.mark.parametrize("url", PUBLIC_FEEDS)
def test_no_pending_or_hidden_event_in_any_feed(client, agenda, url):
    content = body(client.get(url))
    assert b"Atelier v" in content
    assert b"Secret" not in content
    for secret in agenda["secrets"]:
        assert secret.uid.encode() not in content
        assert client.get(f"/agenda/{secret.slug}.ics").status_code == 404


def test_theme_and_organiser_feeds_keep_their_own_events(client, agenda):
    themed = parse_ics(client.get(f"/agenda/theme/reemploi.ics?{WINDOW}"))
    assert {str(v["UID"]) for v in vevents(themed)} == {agenda["series"].uid,
                                                       agenda["festival"].uid}  # fmt: skip
    assert str(themed["X-WR-CALNAME"]) == "Agenda — Essaim — Réemploi"
    organised = parse_ics(client.get(f"/agenda/organisateur/les-amis-du-velo.ics?{WINDOW}"))
    assert {str(v["UID"]) for v in vevents(organised)} == {agenda["series"].uid}
    assert client.get("/agenda/organisateur/personne.ics").status_code == 404
    assert client.get("/agenda/theme/inconnu.ics").status_code == 404


def test_event_calendar_holds_the_whole_series_to_add(client, agenda):
    response = client.get("/agenda/atelier-velo.ics")
    cal = parse_ics(response)
    assert response["Content-Disposition"] == 'attachment; filename="atelier-velo.ics"'
    assert len(vevents(cal)) == 3
    assert {str(v["UID"]) for v in vevents(cal)} == {agenda["series"].uid}
    assert len(cal.walk("VTIMEZONE")) == 1


def test_download_holds_every_public_event_past_and_coming(client, agenda):
    past = synced(make_event("Passé", start=paris(2026, 1, 5, 10, 0)))
    response = client.get("/donnees/evenements.ics")
    cal = parse_ics(response)
    assert response["Content-Disposition"] == 'attachment; filename="evenements.ics"'
    uids = {str(v["UID"]) for v in vevents(cal)}
    assert uids == {agenda[k].uid for k in ("series", "festival", "online")} | {past.uid}


def test_rss_lists_coming_dates_in_local_time_and_states_its_cap(client, agenda):
    response = client.get(f"/agenda.rss?{WINDOW}")
    text = response.content.decode()
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "Les 50 prochaines dates au plus" in text
    assert "<title>mardi 16 mars 2027, 18:00 — Atelier vélo</title>" in text
    assert "<title>mercredi 31 mars 2027, 19:00 — Atelier vélo (mercredi)</title>" in text
    assert "<title>[Annulé] mardi 6 avril 2027, 18:00 — Atelier vélo</title>" in text
    assert "<title>vendredi 9 avril 2027 — Festival des possibles</title>" in text
    assert "<title>samedi 20 mars 2027, 10:00 — Webinaire coopératives</title>" in text


def test_rss_stops_at_50_items(client):
    event = synced(make_event(start=paris(2027, 3, 2, 18, 0), rrule="FREQ=DAILY;COUNT=60"))
    text = client.get("/agenda.rss?du=2027-03-01").content.decode()
    assert text.count("<item>") == 50
    assert event.occurrences.count() == 60


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/agenda.ics?du=demain", "du : Date illisible : demain (attendu : AAAA-MM-JJ)."),
        ("/agenda.rss?theme=inconnu", "theme : Thème inconnu : inconnu."),
        ("/agenda/organisateur/les-amis-du-velo.ics?rayon=loin",
         "rayon : Le rayon doit être un nombre de kilomètres."),
    ],
)  # fmt: skip
def test_bad_filters_answer_400_naming_the_parameter(client, agenda, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert response.content.decode().strip() == message


@pytest.mark.parametrize(
    "url",
    [f"/agenda.ics?{WINDOW}", f"/agenda.rss?{WINDOW}", "/donnees/evenements.ics",
     f"/agenda/theme/reemploi.ics?{WINDOW}"],
)  # fmt: skip
def test_feed_query_count_does_not_grow_with_events(client, theme, url):
    def make(title, day):
        event = synced(make_event(title, start=paris(2027, 3, day, 18, 0), themes=[theme],
                                  rrule="FREQ=WEEKLY;COUNT=3"))  # fmt: skip
        EventChange.objects.create(event=event, recurrence_id=paris(2027, 3, day + 7, 18, 0),
                                   start=paris(2027, 3, day + 7, 19, 0),
                                   end=paris(2027, 3, day + 7, 20, 0))  # fmt: skip

    make("Un", 2)
    one = count_queries(lambda: body(client.get(url)))
    make("Deux", 3)
    make("Trois", 4)
    three = count_queries(lambda: body(client.get(url)))
    assert three == one
    assert body(client.get(url)).count(b"Trois") >= 1
