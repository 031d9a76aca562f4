import http.server
import threading
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.core.management import call_command
from django.core.management.base import CommandError

from essaim.agenda import recurrence
from essaim.agenda.models import (
    AttendanceMode,
    CalendarSource,
    Event,
    EventChange,
    EventStatus,
    Occurrence,
)
from essaim.moderation.models import ModerationEvent, PendingVersion, Status
from essaim.taxonomy.models import Theme
from tests.agenda.conftest import paris

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"
UTC = ZoneInfo("UTC")


@pytest.fixture
def themes(db):
    return [
        Theme.objects.create(name="Alimentation", slug="alimentation"),
        Theme.objects.create(name="Réemploi", slug="reemploi"),
    ]


def run_command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_events", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def events_of(source: str) -> dict[str, Event]:
    found = Event.objects.filter(source__name=source).prefetch_related("themes")
    return {e.uid: e for e in found}


def local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%d %H:%M")


def occurrences_of(event: Event) -> list[tuple[str, str, str]]:
    return [(local(o.start), local(o.end), o.event_status) for o in event.occurrences.all()]


def database_state() -> dict:
    """What an import may write, to prove that a refused one wrote nothing."""
    return {
        "events": list(Event.objects.order_by("pk").values()),
        "changes": EventChange.objects.count(),
        "occurrences": Occurrence.objects.count(),
        "history": ModerationEvent.objects.count(),
        "versions": PendingVersion.objects.count(),
        "sources": list(CalendarSource.objects.order_by("pk").values()),
    }


# --- real-world shapes -------------------------------------------------------------------------


def test_google_utc_series_stays_at_local_time_of_x_wr_timezone(themes):
    run_command(FILES / "google.ics", "--source", "google")

    series = events_of("google")["0a1b2c3d4e5f@google.com"]
    assert series.timezone == "Europe/Paris"
    assert series.rrule == "FREQ=WEEKLY;COUNT=6;BYDAY=TU"
    starts = [local(o.start) for o in series.occurrences.all()]
    # 18:00 in Paris before and after the change to summer time on 28 March 2027.
    assert starts == ["2027-03-02 18:00", "2027-03-09 18:00", "2027-03-16 18:00",
                      "2027-03-23 18:00", "2027-03-30 18:00", "2027-04-06 18:00"]  # fmt: skip


def test_google_html_description_is_sanitised_and_summarised(themes):
    run_command(FILES / "google.ics", "--source", "google")

    series = events_of("google")["0a1b2c3d4e5f@google.com"]
    assert "<script>" not in series.description
    assert "<b>Atelier vélo</b>" in series.description
    assert 'href="https://velo.example.org"' in series.description
    assert series.summary.startswith("Atelier vélo : on répare ensemble. Outils fournis, venez")
    assert "<" not in series.summary


def test_google_location_gives_place_address_and_commune(themes):
    run_command(FILES / "google.ics", "--source", "google")

    series = events_of("google")["0a1b2c3d4e5f@google.com"]
    assert (series.place_name, series.address, series.postal_code) == (
        "Maison des associations", "2 Rue Jules Ferry, 37000 Tours", "37000",
    )  # fmt: skip
    assert series.commune_id == "37261"
    # No GEO: the commune's centre.
    assert (series.latitude, series.longitude) == (series.commune.latitude,
                                                   series.commune.longitude)  # fmt: skip


def test_floating_time_is_read_in_the_calendar_zone(themes):
    run_command(FILES / "google.ics", "--source", "google")

    floating = events_of("google")["floating-1@google.com"]
    assert (floating.timezone, local(floating.start), local(floating.end)) == (
        "Europe/Paris", "2027-04-10 09:30", "2027-04-10 12:00",
    )  # fmt: skip


def test_all_day_event_runs_from_local_midnight_to_the_next(themes):
    run_command(FILES / "google.ics", "--source", "google")

    day = events_of("google")["allday-1@google.com"]
    assert day.all_day
    assert (local(day.start), local(day.end)) == ("2027-05-22 00:00", "2027-05-23 00:00")
    assert day.place_name == "Blois"


def test_nextcloud_event_with_vtimezone_geo_categories_and_organiser(themes):
    run_command(FILES / "nextcloud.ics", "--source", "nextcloud")

    event = events_of("nextcloud")["9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f"]
    assert (event.timezone, local(event.start), local(event.end)) == (
        "Europe/Paris", "2027-04-15 14:00", "2027-04-15 17:00",
    )  # fmt: skip
    assert (event.latitude, event.longitude) == (47.3901, 0.6612)
    assert event.commune.name == "La Riche"
    assert [t.slug for t in event.themes.all()] == ["reemploi"]
    assert event.organiser_name == "Repair Café 37"
    assert event.source_url == "https://repair.example.org/evenements/avril"
    assert event.description == (
        "<p>Un repair café ouvert à toutes et tous.</p><p>Plus d'informations sur "
        '<a href="https://repair.example.org/la-riche" rel="noopener noreferrer nofollow ugc">'
        "https://repair.example.org/la-riche</a><br>Entrée libre.</p>"
    )
    assert event.status == Status.PUBLISHED
    assert event.licence == CalendarSource.objects.get(name="nextcloud").licence


def test_mobilizon_utc_one_off_is_shown_in_paris_time(themes):
    run_command(FILES / "mobilizon.ics", "--source", "mobilizon")

    events = events_of("mobilizon")
    village = events["https://mobilizon.example.org/events/3f0c6a1e-1b2c-4d5e-8f90-a1b2c3d4e5f6"]
    assert (village.timezone, local(village.start)) == ("Europe/Paris", "2027-06-05 10:00")
    assert [t.slug for t in village.themes.all()] == ["alimentation"]  # case and accents folded
    assert village.organiser_name == "Alternatiba Touraine"
    assert village.attendance_mode == AttendanceMode.OFFLINE


def test_url_location_makes_an_online_event(themes):
    run_command(FILES / "mobilizon.ics", "--source", "mobilizon")

    visio = events_of("mobilizon")[
        "https://mobilizon.example.org/events/77aa88bb-1111-2222-3333-444455556666"
    ]
    assert visio.attendance_mode == AttendanceMode.ONLINE
    assert visio.online_url == "https://visio.example.org/b/amap-xyz"
    assert (visio.place_name, visio.address, visio.commune_id) == ("", "", None)


def test_outlook_windows_zone_is_mapped_and_unknown_zone_warned(themes):
    output = run_command(FILES / "outlook.ics", "--source", "outlook")

    events = events_of("outlook")
    scic = next(e for e in events.values() if e.title.startswith("Créer une SCIC"))
    assert (scic.timezone, local(scic.start), local(scic.end)) == (
        "Europe/Paris", "2027-03-23 09:30", "2027-03-23 11:30",
    )  # fmt: skip
    assert scic.commune.name == "Orléans"
    unknown = events["outlook-unknown-zone-1"]
    assert (unknown.timezone, local(unknown.start)) == ("Europe/Paris", "2027-03-24 10:00")
    assert "« Permanence conseil » (UID outlook-unknown-zone-1)" in output
    assert "fuseau « Mars Standard Time » inconnu" in output
    custom = events["outlook-custom-zone-1"]  # a VTIMEZONE of its own: same instants
    assert (custom.timezone, local(custom.start), local(custom.end)) == (
        "Europe/Paris", "2027-03-25 14:00", "2027-03-25 16:00",
    )  # fmt: skip
    assert "fuseau « Customized Time Zone » hors IANA" in output
    assert custom.address == "45000 Orléans" and custom.commune.name == "Orléans"


# --- series, exceptions, modified occurrences -----------------------------------------------


def test_series_with_exdate_in_utc_and_overrides_across_dst(themes):
    run_command(FILES / "series-dst.ics", "--source", "series")

    series = events_of("series")["series-dst@tests.essaim"]
    assert series.exdates == ["2027-03-16T18:00"]  # given in UTC, stored in the event's zone
    changes = list(series.changes.order_by("recurrence_id"))
    assert [(local(c.recurrence_id), local(c.start), c.title, c.event_status)
            for c in changes] == [
        ("2027-03-30 18:00", "2027-03-30 19:00", "Atelier cuisine anti-gaspi (spécial Pâques)", ""),
        ("2027-04-06 18:00", "2027-04-06 18:00", "", EventStatus.CANCELLED),
    ]  # fmt: skip
    assert occurrences_of(series) == [
        ("2027-03-02 18:00", "2027-03-02 20:00", "scheduled"),
        ("2027-03-09 18:00", "2027-03-09 20:00", "scheduled"),
        ("2027-03-23 18:00", "2027-03-23 20:00", "scheduled"),
        ("2027-03-30 19:00", "2027-03-30 21:00", "scheduled"),
        ("2027-04-06 18:00", "2027-04-06 20:00", "cancelled"),
        ("2027-04-13 18:00", "2027-04-13 20:00", "scheduled"),
        ("2027-04-20 18:00", "2027-04-20 20:00", "scheduled"),
        ("2027-04-27 18:00", "2027-04-27 20:00", "scheduled"),
    ]


@pytest.mark.parametrize("name", ["google.ics", "nextcloud.ics", "mobilizon.ics", "outlook.ics",
                                  "series-dst.ics", "messy.ics"])  # fmt: skip
def test_occurrences_equal_recurring_ical_events_expansion_of_the_source(themes, name):
    run_command(FILES / name, "--source", "src")
    first, last = recurrence.window()

    source_cal = icalendar.Calendar.from_ical((FILES / name).read_bytes())
    expected = sorted(
        (_instant(v["DTSTART"].dt), _instant(v["DTEND"].dt))
        for v in recurring_ical_events.of(source_cal).between(first, last)
    )
    ours = Occurrence.objects.filter(event__source__name="src").between(first, last)
    assert sorted((o.start, o.end) for o in ours) == expected


def _instant(value) -> datetime:
    """rie's values as instants: dates at Paris midnight, floating times in Paris."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("Europe/Paris"))


# --- messy calendars -----------------------------------------------------------------------------


def test_messy_calendar_skips_todos_and_reads_missing_ends(themes):
    output = run_command(FILES / "messy.ics", "--source", "messy")

    events = events_of("messy")
    assert (local(events["multi-day@tests.essaim"].start),
            local(events["multi-day@tests.essaim"].end)) == ("2027-05-12 00:00",
                                                             "2027-05-15 00:00")  # fmt: skip
    no_end = events["allday-no-end@tests.essaim"]
    assert (no_end.all_day, local(no_end.end)) == (True, "2027-05-21 00:00")  # one day
    timed = events["timed-no-end@tests.essaim"]
    assert timed.end == timed.start  # RFC 5545: same instant
    balade = events["duration@tests.essaim"]
    assert local(balade.end) == "2027-05-22 11:30"
    assert "Ignorés : 1 tâche(s) (VTODO), 1 note(s) (VJOURNAL), 1 disponibilité(s)" in output
    assert not any("Réserver la salle" in e.title for e in events.values())


def test_duplicate_uid_keeps_the_higher_sequence_once(themes):
    output = run_command(FILES / "messy.ics", "--source", "messy")

    assembly = Event.objects.filter(uid="dup@tests.essaim")
    assert [(e.title, local(e.start)) for e in assembly] == [
        ("Assemblée générale", "2027-05-23 14:00")
    ]
    assert "UID présent plusieurs fois" in output


def test_event_without_uid_gets_a_stable_key(themes):
    output = run_command(FILES / "messy.ics", "--source", "messy")
    key = Event.objects.get(title="Café des parents").uid
    run_command(FILES / "messy.ics", "--source", "messy")

    assert key.startswith("sans-uid-")
    assert Event.objects.filter(title="Café des parents").count() == 1
    assert "Café des parents » (sans UID) : sans UID" in output


def test_cancelled_series_is_cancelled_with_all_its_dates(themes):
    run_command(FILES / "messy.ics", "--source", "messy")

    series = Event.objects.get(uid="cancelled-series@tests.essaim")
    assert series.event_status == EventStatus.CANCELLED
    assert {o.event_status for o in series.occurrences.all()} == {EventStatus.CANCELLED}
    assert series.occurrences.count() == 3


def test_broken_line_is_named_and_nothing_is_written(themes):
    before = database_state()
    with pytest.raises(CommandError) as error:
        run_command(FILES / "broken-line.ics", "--source", "broken")

    assert error.value.returncode == 2
    assert "ligne 18 : « seconde ligne sans espace au début » n'est pas une ligne" in str(
        error.value
    )
    assert database_state() == before


def test_broken_date_names_the_event_and_nothing_is_written(themes):
    before = database_state()
    with pytest.raises(CommandError) as error:
        run_command(FILES / "broken-date.ics", "--source", "broken")

    assert error.value.returncode == 2
    message = str(error.value)
    assert "ligne 11, événement « Date illisible » (UID bad-date@tests.essaim), DTSTART" in message
    assert database_state() == before


def test_not_a_calendar_exits_2(tmp_path):
    page = tmp_path / "page.ics"
    page.write_text("<!doctype html><html><body>Not found</body></html>\n")
    with pytest.raises(CommandError) as error:
        run_command(page)
    assert error.value.returncode == 2
    assert "BEGIN:VCALENDAR" in str(error.value)
    assert not CalendarSource.objects.exists()


def test_missing_file_exits_2():
    with pytest.raises(CommandError) as error:
        run_command("/nonexistent/agenda.ics")
    assert error.value.returncode == 2
    assert "Fichier introuvable" in str(error.value)


def test_long_title_is_cut_with_a_warning(tmp_path, themes):
    title = "Très " * 40 + "long"
    ics = (FILES / "messy.ics").read_text().replace("SUMMARY:Balade botanique", f"SUMMARY:{title}")
    (tmp_path / "long.ics").write_text(ics)
    output = run_command(tmp_path / "long.ics", "--source", "long")

    event = Event.objects.get(uid="duration@tests.essaim")
    assert len(event.title) == 140 and event.title.endswith("…")
    assert "titre de 204 caractères, coupé à 140" in output


# --- re-imports --------------------------------------------------------------------------------


def test_reimport_leaves_unchanged_events_untouched(themes):
    run_command(FILES / "series-dst.ics", "--source", "series")
    before = database_state()
    output = run_command(FILES / "series-dst.ics", "--source", "series")

    assert "0 créés, 0 mis à jour, 1 inchangés" in output
    assert database_state() == before


def test_reimport_updates_changed_events_without_duplicating(tmp_path, themes):
    run_command(FILES / "series-dst.ics", "--source", "series")
    series = Event.objects.get(uid="series-dst@tests.essaim")
    changed = (
        (FILES / "series-dst.ics")
        .read_text()
        .replace("UNTIL=20270427T160000Z", "UNTIL=20270504T160000Z")
        .replace("EXDATE:20270316T170000Z", "EXDATE:20270316T170000Z,20270413T160000Z")
    )
    (tmp_path / "series-dst.ics").write_text(changed)
    output = run_command(tmp_path / "series-dst.ics", "--source", "series")

    again = Event.objects.get(uid="series-dst@tests.essaim")
    assert again.pk == series.pk
    assert again.sequence == series.sequence + 1
    assert again.exdates == ["2027-03-16T18:00", "2027-04-13T18:00"]
    starts = [local(o.start)[:10] for o in again.occurrences.all()]
    assert starts[-3:] == ["2027-04-20", "2027-04-27", "2027-05-04"]
    assert "2027-04-13" not in starts
    assert EventChange.objects.filter(event=again).count() == 2
    assert "0 créés, 1 mis à jour" in output


def test_event_removed_at_source_is_archived_not_deleted(tmp_path, themes):
    run_command(FILES / "google.ics", "--source", "google")
    text = (FILES / "google.ics").read_text()
    start = text.index("BEGIN:VEVENT\nDTSTART:20270410")
    end = text.index("END:VEVENT", start) + len("END:VEVENT\n")
    (tmp_path / "google.ics").write_text(text[:start] + text[end:])
    output = run_command(tmp_path / "google.ics", "--source", "google")

    gone = Event.objects.get(uid="floating-1@google.com")
    assert gone.status == Status.ARCHIVED
    assert ModerationEvent.objects.filter(object_id=str(gone.pk), action="archived").get().reason \
        == "Disparu de la source « google »"  # fmt: skip
    assert "1 retirés" in output
    # Back at the source: published again.
    run_command(FILES / "google.ics", "--source", "google")
    assert Event.objects.get(uid="floating-1@google.com").status == Status.PUBLISHED


def test_past_event_missing_from_a_rolling_feed_is_kept(tmp_path, themes):
    run_command(FILES / "google.ics", "--source", "google")
    Event.objects.filter(uid="floating-1@google.com").update(
        start=paris(2020, 1, 1, 10, 0), end=paris(2020, 1, 1, 12, 0)
    )
    text = (FILES / "google.ics").read_text()
    start = text.index("BEGIN:VEVENT\nDTSTART:20270410")
    end = text.index("END:VEVENT", start) + len("END:VEVENT\n")
    (tmp_path / "google.ics").write_text(text[:start] + text[end:])
    run_command(tmp_path / "google.ics", "--source", "google")

    assert Event.objects.get(uid="floating-1@google.com").status == Status.PUBLISHED


def test_local_edit_gets_a_pending_version_instead_of_being_overwritten(tmp_path, themes):
    run_command(FILES / "nextcloud.ics", "--source", "nextcloud")
    event = Event.objects.get(uid="9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f")
    event.title = "Repair café (titre corrigé ici)"
    event.save()
    changed = (
        (FILES / "nextcloud.ics")
        .read_text()
        .replace(
            "DTSTART;TZID=Europe/Paris:20270415T140000", "DTSTART;TZID=Europe/Paris:20270415T143000"
        )
    )
    (tmp_path / "nextcloud.ics").write_text(changed)
    output = run_command(tmp_path / "nextcloud.ics", "--source", "nextcloud")

    event.refresh_from_db()
    assert event.title == "Repair café (titre corrigé ici)"
    assert local(event.start) == "2027-04-15 14:00"
    version = PendingVersion.for_object(event).get()
    assert version.changes["title"] == "Repair café de la Riche"
    assert version.changes["start"] == "2027-04-15T14:30:00+02:00"
    assert "1 versions proposées" in output


def test_pending_option_queues_events_for_moderation(themes):
    run_command(FILES / "nextcloud.ics", "--source", "nextcloud", "--pending")

    event = Event.objects.get(uid="9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f")
    assert event.status == Status.PENDING
    assert not Event.objects.public().exists()
    assert event.occurrences.count() == 1  # ready for when it is published


def test_dry_run_counts_and_writes_nothing(themes):
    before = database_state()
    output = run_command(FILES / "messy.ics", "--source", "messy", "--dry-run")

    assert "7 créés" in output
    assert "Simulation : rien n'a été écrit." in output
    assert database_state() == before


def test_same_uid_in_two_sources_makes_two_events(themes):
    run_command(FILES / "nextcloud.ics", "--source", "a")
    run_command(FILES / "nextcloud.ics", "--source", "b")

    assert Event.objects.filter(uid="9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f").count() == 2
    slugs = sorted(Event.objects.values_list("slug", flat=True))
    assert slugs == ["repair-cafe-de-la-riche-2027-04-15", "repair-cafe-de-la-riche-2027-04-15-2"]


def test_our_own_feed_properties_are_accepted(themes):
    event = Event.objects.create(
        title="Formation compta", slug="formation-compta", summary="Pour les trésorier·es.",
        start=paris(2027, 3, 22, 9, 0), end=paris(2027, 3, 22, 12, 0),
        rrule="FREQ=WEEKLY;COUNT=4", exdates=["2027-03-29T09:00"], status=Status.PUBLISHED,
        event_status=EventStatus.POSTPONED,
    )  # fmt: skip
    EventChange.objects.create(event=event, recurrence_id=paris(2027, 4, 5, 9, 0),
                               start=paris(2027, 4, 5, 14, 0), end=paris(2027, 4, 5, 17, 0),
                               title="Formation compta (après-midi)")  # fmt: skip
    cal = recurrence.calendar_of(recurrence.components(Event.objects.get(pk=event.pk)))
    cal.add("name", "Agenda Essaim")
    cal.add("x-wr-calname", "Agenda Essaim")
    cal.add("x-wr-timezone", "Europe/Paris")
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("color", "teal")
    cal.add_missing_timezones()
    data = cal.to_ical()

    from essaim.agenda import imports

    source = CalendarSource.objects.create(name="essaim")
    imports.import_calendar(source=source, data=data, publish=True)

    copy = Event.objects.get(source=source)
    assert (copy.uid, copy.rrule, copy.exdates, copy.event_status) == (
        event.uid, "FREQ=WEEKLY;COUNT=4", ["2027-03-29T09:00"], EventStatus.POSTPONED,
    )  # fmt: skip
    assert [(local(o.start), o.event_status) for o in copy.occurrences.all()] == [
        (local(o.start), o.event_status) for o in event.occurrences.all()
    ]


# --- URL --------------------------------------------------------------------------------------


@pytest.fixture
def local_server():
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(FILES))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_import_from_a_local_server(themes, local_server):
    run_command(f"{local_server}/nextcloud.ics", "--source", "nextcloud")

    assert list(events_of("nextcloud")) == ["9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f"]
    assert CalendarSource.objects.get(name="nextcloud").url.endswith("/nextcloud.ics")


def test_unreachable_url_exits_2(local_server):
    with pytest.raises(CommandError) as error:
        run_command(f"{local_server}/absent.ics")
    assert error.value.returncode == 2
    assert "HTTP 404" in str(error.value)
    assert not CalendarSource.objects.exists()


# --- the writer's fast path ----------------------------------------------------------------------


def test_fast_expansion_equals_recurrence_expand(themes):
    from essaim.agenda.imports.writer import expand_all

    for name in ["series-dst.ics", "messy.ics", "google.ics"]:
        run_command(FILES / name, "--source", name)
    allday = Event.objects.create(
        title="Marché mensuel", slug="marche", summary="", all_day=True,
        start=paris(2027, 1, 9, 0, 0), end=paris(2027, 1, 10, 0, 0), rrule="FREQ=MONTHLY;COUNT=14",
        exdates=["2027-03-09"],
    )  # fmt: skip
    EventChange.objects.create(
        event=allday, recurrence_id=paris(2027, 4, 9, 0, 0), start=paris(2027, 4, 10, 0, 0),
        end=paris(2027, 4, 11, 0, 0),
    )  # fmt: skip
    series = list(Event.objects.recurring())
    changes = {e.pk: list(e.changes.all()) for e in series}
    first, last = recurrence.window()

    fast = expand_all(series, changes, first, last)

    assert len(series) == 4
    for event in series:
        assert sorted(fast.get(event.pk, []), key=lambda d: (d.start, d.recurrence_id)) == (
            recurrence.expand(event, first, last, changes[event.pk])
        ), event.title


def test_imported_events_are_indexed_for_search(themes, django_capture_on_commit_callbacks):
    from wagtail.search.backends import get_search_backend

    with django_capture_on_commit_callbacks(execute=True):
        run_command(FILES / "nextcloud.ics", "--source", "nextcloud")

    found = get_search_backend().search("Ockeghem", Event.objects.all())  # the place's name
    assert [e.title for e in found] == ["Repair café de la Riche"]
