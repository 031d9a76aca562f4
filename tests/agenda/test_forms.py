from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from essaim.agenda.forms import EditForm, ProposalForm
from essaim.agenda.models import AttendanceMode
from essaim.agenda.rules import PlainRule, Repeat, from_rrule, to_rrule
from essaim.moderation.antispam import issue_timestamp
from essaim.taxonomy.models import Theme
from essaim.taxonomy.services import load_themes
from tests.agenda.conftest import PARIS, make_event, paris

pytestmark = pytest.mark.django_db


def png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def theme(db):
    load_themes()
    return Theme.objects.get(slug="reparation")


def post(theme, **changes) -> dict:
    data = {
        "title": "Repair café", "summary": "On répare ensemble.", "themes": [theme.pk],
        "attendance_mode": "offline", "place_name": "Salle des fêtes", "commune_label": "Tours",
        "postal_code": "37000", "day": "2027-03-02", "start_time": "18:00", "end_time": "20:00",
        "registration_mode": "none", "licence": "CC-BY-SA-4.0", "is_free": "on",
        "proposer_email": "lea@example.net", "antispam_ts": issue_timestamp(),
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def valid_form(theme, files=None, **changes) -> ProposalForm:
    form = ProposalForm(post(theme, **changes), files)
    assert form.is_valid(), form.errors
    return form


@pytest.fixture(autouse=True)
def _no_fill_time(settings):
    settings.ESSAIM_ANTISPAM_MIN_SECONDS = 0


def test_one_off_event_gets_aware_times_in_paris(theme):
    event = valid_form(theme).instance
    assert (event.start, event.end, event.rrule) == (
        paris(2027, 3, 2, 18),
        paris(2027, 3, 2, 20),
        "",
    )
    assert event.commune.name == "Tours" and event.latitude is not None


@pytest.mark.parametrize(("repeat", "expected"), [
    ("weekly", "FREQ=WEEKLY;COUNT=5;BYDAY=TU"),
    ("biweekly", "FREQ=WEEKLY;COUNT=5;INTERVAL=2;BYDAY=TU"),
    ("monthly-nth", "FREQ=MONTHLY;COUNT=5;BYDAY=1TU"),
    ("monthly-day", "FREQ=MONTHLY;COUNT=5;BYMONTHDAY=2"),
])  # fmt: skip
def test_plain_words_become_an_rrule(theme, repeat, expected):
    assert valid_form(theme, repeat=repeat, repeat_count="5").instance.rrule == expected


def test_until_is_the_end_of_that_local_day_in_utc(theme):
    form = valid_form(theme, repeat="weekly", repeat_until="2027-06-29")
    assert form.instance.rrule == "FREQ=WEEKLY;UNTIL=20270629T215959Z;BYDAY=TU"


def test_all_day_series_until_is_a_date(theme):
    form = valid_form(theme, all_day="on", start_time="", end_time="", repeat="monthly-day",
                      repeat_until="2027-12-31")  # fmt: skip
    event = form.instance
    assert (event.start, event.end) == (paris(2027, 3, 2, 0), paris(2027, 3, 3, 0))
    assert event.rrule == "FREQ=MONTHLY;UNTIL=20271231;BYMONTHDAY=2"


def test_multi_day_all_day_event_ends_at_midnight_after_its_last_day(theme):
    event = valid_form(theme, all_day="on", start_time="", last_day="2027-03-04").instance
    assert (event.start, event.end) == (paris(2027, 3, 2, 0), paris(2027, 3, 5, 0))


def test_last_fifth_weekday_means_the_last_one(theme):
    # 30 March 2027 is the fifth Tuesday: "every month on the last Tuesday".
    assert valid_form(theme, day="2027-03-30", repeat="monthly-nth").instance.rrule == (
        "FREQ=MONTHLY;BYDAY=-1TU"
    )


def test_preview_keeps_six_pm_across_the_spring_dst_change(theme):
    # Clocks go forward on Sunday 28 March 2027: the Tuesdays around it stay at 18:00.
    form = valid_form(theme, day="2027-03-16", repeat="weekly", repeat_count="4",
                      excluded_dates="23/03/2027")  # fmt: skip
    preview = form.preview_dates()
    assert [start.date() for start, _end in preview] == [
        date(2027, 3, 16), date(2027, 3, 30), date(2027, 4, 6)
    ]  # fmt: skip
    assert {start.time() for start, _end in preview} == {time(18, 0)}
    assert [start.utcoffset().seconds // 3600 for start, _end in preview] == [1, 2, 2]
    assert form.instance.exdates == ["2027-03-23T18:00"]


def test_excluded_dates_need_a_series(theme):
    form = ProposalForm(post(theme, excluded_dates="23/03/2027"))
    assert "excluded_dates" in form.errors


def test_unreadable_excluded_date_is_named(theme):
    form = ProposalForm(post(theme, repeat="weekly", excluded_dates="le 23 mars"))
    assert "« le 23 mars »" in form.errors["excluded_dates"][0]


def test_until_and_count_together_are_refused(theme):
    form = ProposalForm(post(theme, repeat="weekly", repeat_until="2027-06-01", repeat_count="3"))
    assert "repeat_count" in form.errors


def test_end_before_start_is_refused_on_the_end_time(theme):
    form = ProposalForm(post(theme, end_time="17:00"))
    assert list(form.errors) == ["end_time"]


def test_timed_event_needs_its_times(theme):
    form = ProposalForm(post(theme, start_time="", end_time=""))
    assert set(form.errors) == {"start_time", "end_time"}


def test_place_needs_a_commune_but_online_does_not(theme):
    assert "commune_label" in ProposalForm(post(theme, commune_label="")).errors
    form = valid_form(theme, attendance_mode="online", commune_label="", postal_code="",
                      online_url="https://visio.example.org/salle")  # fmt: skip
    assert form.instance.commune is None and form.instance.attendance_mode == AttendanceMode.ONLINE


def test_online_event_needs_its_link(theme):
    form = ProposalForm(post(theme, attendance_mode="mixed"))
    assert "online_url" in form.errors


def test_image_needs_its_alternative_text(theme):
    image = SimpleUploadedFile("affiche.png", png(), content_type="image/png")
    form = ProposalForm(post(theme), {"image": image})
    assert "image_alt" in form.errors
    image.seek(0)
    assert ProposalForm(
        post(theme, image_alt="Affiche du repair café"), {"image": image}
    ).is_valid()


def test_description_is_sanitised(theme):
    form = valid_form(theme, description='<p onclick="x()">Bonjour<script>alert(1)</script></p>')
    assert form.cleaned_data["description"] == "<p>Bonjour</p>"


def test_capacity_only_for_built_in_registration(theme):
    assert valid_form(theme, capacity="12").cleaned_data["capacity"] is None
    form = valid_form(theme, registration_mode="builtin", capacity="12")
    assert form.instance.capacity == 12


def test_honeypot_refuses_robots(theme):
    form = ProposalForm(post(theme, site_web_2="http://spam.example"))
    assert not form.is_valid() and "__all__" in form.errors


def test_edit_form_shows_the_series_in_plain_words():
    rule = "FREQ=WEEKLY;UNTIL=20270629T215959Z;BYDAY=TU"
    event = make_event(start=paris(2027, 3, 16, 18), rrule=rule,
                       exdates=["2027-03-23T18:00"])  # fmt: skip
    form = EditForm(instance=event)
    assert (form.initial["day"], form.initial["start_time"]) == (date(2027, 3, 16), time(18))
    assert (form.initial["repeat"], form.initial["repeat_until"]) == ("weekly", date(2027, 6, 29))
    assert form.initial["excluded_dates"] == "23/03/2027"
    assert form.initial["commune_label"].startswith("Tours")


def test_rules_round_trip_and_refuse_what_words_cannot_say():
    first = date(2027, 3, 16)
    for repeat in Repeat.values[1:]:
        rule = PlainRule(repeat=repeat, count=3)
        assert (
            from_rrule(to_rrule(rule, first, zone=PARIS, all_day=False), first, zone=PARIS) == rule
        )
    assert from_rrule("FREQ=DAILY", first, zone=PARIS) is None
    assert from_rrule("FREQ=WEEKLY;BYDAY=MO,TU", first, zone=PARIS) is None
