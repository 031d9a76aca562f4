"""Built-in registrations: double opt-in, seats and waiting list, e-mailed links, the
organiser's list and CSV, cancellations by the organiser, purge and personal data."""

import csv
import html
import io
import re
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify

from essaim.accounts.services import delete_account
from essaim.agenda import registrations
from essaim.agenda.models import EventChange, EventStatus, Occurrence, Registration
from essaim.agenda.registrations import RegistrationRefused
from essaim.agenda.tasks import purge_registrations
from essaim.moderation.antispam import TIMESTAMP_FIELD, issue_timestamp
from essaim.moderation.models import Status
from tests.agenda.conftest import PARIS, make_event

State = Registration.State


def soon(days=10, hour=14):
    """A Paris wall-clock time ``days`` from now: tests never age past their dates."""
    day = (timezone.now() + timedelta(days=days)).astimezone(PARIS)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def training(title="Formation comptabilité associative", *, capacity=2, start=None, **fields):
    start = start or soon()
    fields.setdefault("end", start + timedelta(hours=3))
    fields.setdefault("registration_mode", "builtin")
    return make_event(title, start=start, capacity=capacity, **fields)


def add(occurrence, name="Léa", seats=1, **fields) -> Registration:
    email = fields.pop("email", f"{slugify(name)}@example.net")
    return Registration.objects.create(
        occurrence=occurrence, name=name, email=email, seats=seats, **fields
    )


def confirmed(occurrence, name="Léa", seats=1) -> Registration:
    return registrations.confirm(token=add(occurrence, name, seats).token)


def states(occurrence) -> dict[str, str]:
    return dict(occurrence.registrations.values_list("name", "state"))


def path_in(message, action: str) -> str:
    """The path of the confirm or cancel link in a mail (links are absolute)."""
    return re.search(rf"https?://[^/\s]+(/agenda/\S+/inscription/{action}/\S+/)", message.body)[1]


def post_form(client, event, **fields):
    data = {"name": "Léa Martin", "email": "lea@example.net", "seats": 1, "consent": "on",
            TIMESTAMP_FIELD: issue_timestamp(time.time() - 10)}  # fmt: skip
    extra = fields.pop("extra", {})
    data.update(fields)
    return client.post(f"/agenda/{event.slug}/inscription/", data, **extra)


# --- the form and the e-mailed links ---------------------------------------------------------


@pytest.mark.django_db
def test_registration_waits_for_the_emailed_confirmation_then_takes_a_seat(client):
    event = training()

    response = post_form(client, event)

    registration = Registration.objects.get()
    assert (registration.name, registration.state, registration.seats) == (
        "Léa Martin", State.UNCONFIRMED, 1,
    )  # fmt: skip
    assert "lea@example.net" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["lea@example.net"]]
    page = client.get(path_in(mail.outbox[0], "confirmer"))
    assert "Je confirme mon inscription" in page.content.decode()
    registration.refresh_from_db()
    assert registration.state == State.UNCONFIRMED  # a GET (a mail scanner) changes nothing

    done = client.post(path_in(mail.outbox[0], "confirmer"))

    registration.refresh_from_db()
    assert registration.state == State.CONFIRMED
    assert "Inscription confirmée" in done.content.decode()


@pytest.mark.django_db
def test_cancel_link_shows_a_button_on_get_and_cancels_on_post(client):
    event = training()
    post_form(client, event)
    cancel_path = path_in(mail.outbox[0], "annuler")

    assert "J'annule mon inscription" in client.get(cancel_path).content.decode()
    assert Registration.objects.get().state == State.UNCONFIRMED

    client.post(cancel_path)
    assert Registration.objects.get().state == State.CANCELLED


@pytest.mark.django_db
def test_a_token_only_works_under_its_own_event(client):
    event, other = training(), training("Atelier vélo", slug="atelier-velo")
    registration = add(event.occurrences.get())
    wrong = f"/agenda/{other.slug}/inscription/confirmer/{registration.token}/"
    unknown = f"/agenda/{event.slug}/inscription/confirmer/pas-un-jeton/"

    assert client.post(wrong).status_code == 404
    assert client.post(unknown).status_code == 404
    registration.refresh_from_db()
    assert registration.state == State.UNCONFIRMED


@pytest.mark.django_db
def test_form_errors_name_the_field_and_register_no_one(client):
    event = training(capacity=10)

    response = post_form(client, event, email="pas-une-adresse", seats=9, consent="")

    assert response.status_code == 400
    errors = response.context["registration_form"].errors
    assert set(errors) == {"email", "seats", "consent"}
    assert Registration.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_same_address_registering_twice_gets_its_links_again_not_a_second_row(client):
    event = training()
    post_form(client, event)
    post_form(client, event, email="LEA@example.net")

    assert Registration.objects.count() == 1
    assert len(mail.outbox) == 2
    assert path_in(mail.outbox[1], "confirmer") == path_in(mail.outbox[0], "confirmer")


@pytest.mark.django_db
def test_requests_are_limited_per_email_address_whatever_the_connection(client, settings):
    settings.ESSAIM_ANTISPAM_RATE_LIMIT = 2
    event = training()
    for number in range(3):
        response = post_form(client, event, extra={"REMOTE_ADDR": f"10.0.0.{number}"})

    assert response.status_code == 400
    assert "Trop d&#x27;envois" in response.content.decode()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_robots_filling_the_honeypot_are_refused(client):
    post_form(client, training(), site_web_2="http://spam.example")
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_series_form_offers_coming_dates_with_their_seats(client):
    start = soon(days=3)
    event = training(capacity=1, start=start, rrule="FREQ=WEEKLY;COUNT=3")
    first, second, _third = event.occurrences.order_by("start")
    confirmed(first)

    page = client.get(f"/agenda/{event.slug}/inscription/").content.decode()

    options = re.findall(r"<option value=\"(\d+)\"[^>]*>([^<]+)</option>", page)
    assert [int(pk) for pk, _label in options] == [o.pk for o in event.occurrences.all()]
    assert "complet, liste d&#x27;attente" in options[0][1]
    assert options[1][1].endswith("1 place")

    post_form(client, event, occurrence=second.pk)
    assert Registration.objects.filter(occurrence=second).count() == 1


@pytest.mark.django_db
def test_block_shows_seats_left_then_full_with_waiting_list(client):
    event = training(capacity=2)
    occurrence = event.occurrences.get()
    confirmed(occurrence)
    page = client.get(f"/agenda/{event.slug}/inscription/").content.decode()
    assert "1 place restante" in page

    confirmed(occurrence, "Noé")
    page = html.unescape(client.get(f"/agenda/{event.slug}/inscription/").content.decode())
    assert "Complet — liste d'attente" in page
    assert "M'inscrire sur la liste d'attente" in page
    assert Occurrence.objects.get().event_status == EventStatus.SCHEDULED  # per date only


@pytest.mark.django_db
def test_block_included_with_only_the_event_shows_the_form_or_why_not(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    def block(event):
        context = {"event": event}
        return render_to_string("agenda/_registration.html", context, request=request)

    open_one = training()
    assert f'action="/agenda/{open_one.slug}/inscription/"' in block(open_one)
    assert "csrfmiddlewaretoken" in block(open_one)
    pending = training("En attente", status=Status.PENDING)
    assert "inscriptions sont closes" in block(pending)
    assert "<form" not in block(pending)
    assert block(make_event("Sans inscription", start=soon(), end=soon(hour=16))).strip() == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"start": soon(days=-1)}, "passée"),
        ({"event_status": EventStatus.CANCELLED}, "annulée"),
        ({"status": Status.PENDING}, "pas publié"),
        (
            {"registration_mode": "link", "registration_url": "https://example.org"},
            "inscription sur ce site",
        ),
    ],
    ids=["past", "cancelled", "not-public", "not-builtin"],
)
def test_registrations_are_refused_for_closed_dates(fields, reason):
    event = training(**fields)
    with pytest.raises(RegistrationRefused, match=reason):
        registrations.register(occurrence=event.occurrences.get(), name="Léa",
                               email="lea@example.net", seats=1)  # fmt: skip
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_registration_page_of_a_non_public_or_linked_event_is_not_found(client):
    hidden = training(status=Status.PENDING)
    linked = training("Ailleurs", registration_mode="link", registration_url="https://a.example")
    assert client.get(f"/agenda/{hidden.slug}/inscription/").status_code == 404
    assert client.get(f"/agenda/{linked.slug}/inscription/").status_code == 404


@pytest.mark.django_db
def test_more_seats_than_allowed_per_person_are_refused(settings):
    settings.ESSAIM_REGISTRATION_MAX_SEATS = 3
    occurrence = training(capacity=None).occurrences.get()
    with pytest.raises(RegistrationRefused, match="De 1 à 3 places"):
        registrations.register(occurrence=occurrence, name="Léa", email="l@x.net", seats=4)


# --- capacity and the waiting list ----------------------------------------------------------


@pytest.mark.django_db
def test_confirmations_take_seats_until_full_then_join_the_waiting_list():
    occurrence = training(capacity=3).occurrences.get()
    confirmed(occurrence, "Léa", seats=2)
    confirmed(occurrence, "Noé", seats=2)  # 1 left: does not fit
    confirmed(occurrence, "Ada", seats=1)
    confirmed(occurrence, "Max", seats=1)

    assert states(occurrence) == {"Léa": State.CONFIRMED, "Noé": State.WAITING,
                                  "Ada": State.CONFIRMED, "Max": State.WAITING}  # fmt: skip
    assert registrations.seats_taken(occurrence) == 3


@pytest.mark.django_db
def test_unlimited_capacity_confirms_everyone():
    occurrence = training(capacity=None).occurrences.get()
    for name in ("Léa", "Noé", "Ada"):
        confirmed(occurrence, name, seats=5)
    assert set(states(occurrence).values()) == {State.CONFIRMED}


@pytest.mark.django_db
def test_a_date_marked_full_by_the_organiser_only_takes_waiting_registrations():
    occurrence = training(capacity=10, event_status=EventStatus.FULL).occurrences.get()
    assert confirmed(occurrence).state == State.WAITING


@pytest.mark.django_db
def test_cancelling_promotes_the_waiting_list_in_order_skipping_requests_too_large():
    occurrence = training(capacity=3).occurrences.get()
    lea = confirmed(occurrence, "Léa", seats=2)
    noe = confirmed(occurrence, "Noé", seats=1)
    confirmed(occurrence, "Ada", seats=2)  # waiting, first in line
    confirmed(occurrence, "Max", seats=1)  # waiting
    confirmed(occurrence, "Zoé", seats=1)  # waiting
    mail.outbox.clear()

    registrations.cancel(token=noe.token)  # 1 seat frees: Ada's 2 do not fit, Max's 1 does
    assert states(occurrence) == {"Léa": State.CONFIRMED, "Noé": State.CANCELLED,
                                  "Ada": State.WAITING, "Max": State.CONFIRMED,
                                  "Zoé": State.WAITING}  # fmt: skip
    assert [m.to for m in mail.outbox] == [["max@example.net"]]

    registrations.cancel(token=lea.token)  # 2 seats free: Ada, first in line, gets them
    assert states(occurrence)["Ada"] == State.CONFIRMED
    assert states(occurrence)["Zoé"] == State.WAITING
    assert [m.to for m in mail.outbox][1:] == [["ada@example.net"]]
    assert "place" in mail.outbox[1].subject
    assert path_in(mail.outbox[1], "annuler").endswith(
        f"{Registration.objects.get(name='Ada').token}/"
    )


@pytest.mark.django_db
def test_cancelling_a_waiting_or_unconfirmed_registration_promotes_no_one():
    occurrence = training(capacity=1).occurrences.get()
    confirmed(occurrence, "Léa")
    waiting = confirmed(occurrence, "Noé")
    confirmed(occurrence, "Ada")
    registrations.cancel(token=waiting.token)
    assert states(occurrence) == {"Léa": State.CONFIRMED, "Noé": State.CANCELLED,
                                  "Ada": State.WAITING}  # fmt: skip


@pytest.mark.django_db
def test_a_cancelled_registration_cannot_be_confirmed_again():
    registration = add(training().occurrences.get())
    registrations.cancel(token=registration.token)
    assert registrations.cancel(token=registration.token).state == State.CANCELLED
    with pytest.raises(RegistrationRefused, match="annulée"):
        registrations.confirm(token=registration.token)


@pytest.mark.django_db
def test_a_larger_capacity_gives_seats_to_the_waiting_list(django_capture_on_commit_callbacks):
    event = training(capacity=1)
    occurrence = event.occurrences.get()
    confirmed(occurrence, "Léa")
    confirmed(occurrence, "Noé")
    event.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    assert states(occurrence) == {"Léa": State.CONFIRMED, "Noé": State.CONFIRMED}
    assert [m.to for m in mail.outbox] == [["noe@example.net"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database is one connection shared by every thread: no "
    "concurrency to observe. There, every transaction begins IMMEDIATE and holds the "
    "database's write lock, which serialises seat counts by construction.",
)
def test_two_people_confirming_for_the_last_seat_at_once_get_one_seat_and_one_wait():
    occurrence = training(capacity=1, commune=None).occurrences.get()
    first, second = add(occurrence, "Léa"), add(occurrence, "Noé")
    counted = threading.Event()

    def pause_after_counting(execute, sql, params, many, context):
        # Widen the race: the first request waits right after counting the seats taken.
        result = execute(sql, params, many, context)
        if "SUM(" in sql and "agenda_registration" in sql:
            counted.set()
            time.sleep(0.5)
        return result

    def first_request():
        with connection.execute_wrapper(pause_after_counting):
            registrations.confirm(token=first.token)
        connection.close()

    def second_request():
        counted.wait(timeout=5)  # starts while the first one holds its count
        registrations.confirm(token=second.token)
        connection.close()

    threads = [threading.Thread(target=first_request), threading.Thread(target=second_request)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert counted.is_set()
    assert states(occurrence) == {"Léa": State.CONFIRMED, "Noé": State.WAITING}
    assert registrations.seats_taken(occurrence) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs two real connections (see the test above)")  # fmt: skip
def test_the_same_address_submitting_twice_at_once_gets_one_registration():
    occurrence = training(capacity=5, commune=None).occurrences.get()
    start = threading.Barrier(2)
    results = []

    def submit(name):
        start.wait(timeout=5)
        results.append(registrations.register(occurrence=occurrence, name=name,
                                              email="Lea@Example.net", seats=1))  # fmt: skip
        connection.close()

    threads = [threading.Thread(target=submit, args=(name,)) for name in ("Léa", "Léa M.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert len(results) == 2 and results[0].pk == results[1].pk
    assert occurrence.registrations.count() == 1


def test_the_database_refuses_a_second_live_registration_for_one_address(db):
    from django.db import IntegrityError, transaction

    occurrence = training(capacity=5, commune=None).occurrences.get()
    add(occurrence, "Léa", email="lea@example.net")
    add(occurrence, "Ancienne", email="LEA@example.net", state=State.CANCELLED)  # allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        add(occurrence, "Léa bis", email="LEA@example.net")


# --- the organiser cancels ------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_the_event_mails_the_registered_people_once(django_capture_on_commit_callbacks):
    event = training(capacity=1)
    occurrence = event.occurrences.get()
    confirmed(occurrence, "Léa")
    confirmed(occurrence, "Noé")  # waiting
    add(occurrence, "Ada")  # never confirmed: not told
    event.event_status = EventStatus.CANCELLED

    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    with django_capture_on_commit_callbacks(execute=True):
        event.save()  # saved again: nobody is told twice

    assert sorted(m.to[0] for m in mail.outbox) == ["lea@example.net", "noe@example.net"]
    assert all(m.subject.startswith("[Essaim] Annulé : Formation") for m in mail.outbox)


@pytest.mark.django_db
def test_cancelling_one_date_of_a_series_mails_only_its_people(django_capture_on_commit_callbacks):
    event = training(start=soon(days=3), rrule="FREQ=WEEKLY;COUNT=3")
    first, second, _ = event.occurrences.order_by("start")
    confirmed(first, "Léa")
    confirmed(second, "Noé")

    with django_capture_on_commit_callbacks(execute=True):
        EventChange.objects.create(event=event, recurrence_id=second.recurrence_id,
                                   start=second.start, end=second.end,
                                   event_status=EventStatus.CANCELLED)  # fmt: skip

    assert [m.to for m in mail.outbox] == [["noe@example.net"]]
    assert registrations.occurrence_label(second) in mail.outbox[0].subject


@pytest.mark.django_db
def test_a_date_removed_from_a_series_mails_its_people(django_capture_on_commit_callbacks):
    event = training(start=soon(days=3), rrule="FREQ=WEEKLY;COUNT=3")
    second = event.occurrences.order_by("start")[1]
    confirmed(second, "Noé")
    label = registrations.occurrence_label(second)
    event.exdates = [second.local_start.strftime("%Y-%m-%dT%H:%M")]

    with django_capture_on_commit_callbacks(execute=True):
        event.save()

    assert event.occurrences.count() == 2
    assert Registration.objects.count() == 0
    assert [m.to for m in mail.outbox] == [["noe@example.net"]]
    assert label in mail.outbox[0].subject


# --- the organiser's list and CSV ----------------------------------------------------------


@pytest.fixture
def listed(owner):
    event = training(capacity=2, owner=owner)
    occurrence = event.occurrences.get()
    confirmed(occurrence, "Léa")
    return event


@pytest.mark.django_db
def test_organiser_sees_registrations_per_date(client, owner, listed):
    occurrence = listed.occurrences.get()
    confirmed(occurrence, "=Noé", seats=1)
    confirmed(occurrence, "Ada")  # waiting
    client.force_login(owner)

    response = client.get(f"/agenda/{listed.slug}/inscrits/")

    group = response.context["groups"][0]
    assert [(r.name, r.state) for r in group.rows] == [
        ("Léa", State.CONFIRMED), ("=Noé", State.CONFIRMED), ("Ada", State.WAITING),
    ]  # fmt: skip
    assert (group.confirmed_seats, group.waiting_seats, group.seats_left) == (2, 1, 0)
    assert "lea@example.net" in response.content.decode()


@pytest.mark.django_db
def test_registration_block_links_the_list_for_the_organiser_only(client, owner, outsider, listed):
    url, list_url = f"/agenda/{listed.slug}/inscription/", f"/agenda/{listed.slug}/inscrits/"
    assert list_url not in client.get(url).content.decode()
    client.force_login(outsider)
    assert list_url not in client.get(url).content.decode()
    client.force_login(owner)
    assert list_url in client.get(url).content.decode()


@pytest.mark.django_db
def test_moderators_see_the_list_too(client, moderator, listed):
    client.force_login(moderator)
    assert "lea@example.net" in client.get(f"/agenda/{listed.slug}/inscrits/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["inscrits/", "inscrits.csv"])
def test_outsider_is_refused_the_list_and_export(client, outsider, member, listed, path):
    for person in (outsider, member):
        client.force_login(person)
        response = client.get(f"/agenda/{listed.slug}/{path}")
        assert response.status_code == 403
        assert "lea@example.net" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["inscrits/", "inscrits.csv"])
def test_anonymous_visitors_are_sent_to_log_in(client, listed, path):
    response = client.get(f"/agenda/{listed.slug}/{path}")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")


@pytest.mark.django_db
def test_csv_export_has_a_header_and_one_row_per_registration(client, owner, listed):
    occurrence = listed.occurrences.get()
    confirmed(occurrence, "=HYPERLINK(1)")
    client.force_login(owner)

    response = client.get(f"/agenda/{listed.slug}/inscrits.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert list(rows[0]) == ["date", "nom", "email", "places", "etat", "inscrit_le",
                             "confirmee_le", "en_attente_depuis", "annulee_le"]  # fmt: skip
    assert [(r["nom"], r["email"], r["places"], r["etat"]) for r in rows] == [
        ("Léa", "lea@example.net", "1", "Confirmée"),
        ("'=HYPERLINK(1)", "hyperlink1@example.net", "1", "Confirmée"),
    ]  # fmt: skip
    assert rows[0]["date"] == occurrence.local_start.isoformat()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["inscrits/", "inscrits.csv"])
def test_list_and_export_queries_do_not_grow_with_registrations(client, owner, listed, path):
    client.force_login(owner)
    url = f"/agenda/{listed.slug}/{path}"
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    occurrence = listed.occurrences.get()
    confirmed(occurrence, "Noé")
    confirmed(occurrence, "Ada")
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert "ada@example.net" in response.content.decode()
    assert len(three) == len(one)


# --- personal data ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_purge_erases_names_and_emails_after_the_retention_delay_and_keeps_counts(settings):
    settings.ESSAIM_REGISTRATION_RETENTION_DAYS = 30
    old = training("Passée", start=soon(days=-31), capacity=5).occurrences.get()
    recent = training("Récente", start=soon(days=-20), capacity=5).occurrences.get()
    for occurrence in (old, recent):
        add(occurrence, "Léa", seats=2, state=State.CONFIRMED)
        add(occurrence, "Noé", state=State.CANCELLED)

    call_command("purge_registrations", stdout=io.StringIO())

    erased = list(old.registrations.values_list("name", "email", "seats", "state"))
    assert sorted(erased) == [("", "", 1, State.CANCELLED), ("", "", 2, State.CONFIRMED)]
    assert registrations.seats_taken(old) == 2
    assert sorted(recent.registrations.values_list("name", flat=True)) == ["Léa", "Noé"]
    assert all(t.startswith("erased-") for t in old.registrations.values_list("token", flat=True))

    out = io.StringIO()
    call_command("purge_registrations", stdout=out)  # idempotent
    assert out.getvalue().startswith("0 registration(s) erased")


@pytest.mark.django_db
def test_purge_task_runs_the_same_service(settings):
    settings.ESSAIM_REGISTRATION_RETENTION_DAYS = 0
    occurrence = training(start=soon(days=-2)).occurrences.get()
    add(occurrence, "Léa")
    assert purge_registrations.enqueue().return_value == 1
    assert occurrence.registrations.get().purged_at is not None
    assert "essaim.agenda.tasks.purge_registrations" in settings.ESSAIM_PERIODIC_TASKS


@pytest.mark.django_db
def test_erased_registrations_links_are_gone(client, settings):
    settings.ESSAIM_REGISTRATION_RETENTION_DAYS = 0
    event = training(start=soon(days=-2))
    registration = add(event.occurrences.get())
    registrations.purge_personal_data()
    erased = Registration.objects.get(pk=registration.pk)
    assert (
        client.get(f"/agenda/{event.slug}/inscription/annuler/{erased.token}/").status_code == 404
    )


@pytest.mark.django_db
def test_data_download_lists_registrations_made_with_my_address_only(client, owner):
    occurrence = training().occurrences.get()
    add(occurrence, "Alice", seats=2, email="Alice@example.org")
    add(occurrence, "Léa")
    client.force_login(owner)

    data = client.get("/mon-compte/mes-donnees.json").json()["agenda"]

    assert [(r["nom"], r["e-mail"], r["places"], r["etat"]) for r in data["inscriptions"]] == [
        ("Alice", "Alice@example.org", 2, State.UNCONFIRMED)
    ]


@pytest.mark.django_db
def test_account_deletion_cancels_coming_registrations_and_erases_all(owner):
    coming = training(capacity=1).occurrences.get()
    past = training("Passée", start=soon(days=-3)).occurrences.get()
    mine = confirmed(coming, "Alice")
    Registration.objects.filter(pk=mine.pk).update(email=owner.email)
    confirmed(coming, "Léa")  # waiting
    add(past, "Alice", email="ALICE@example.org", state=State.CONFIRMED)
    mail.outbox.clear()

    delete_account(user=owner)

    assert not Registration.objects.filter(email__iexact=owner.email).exists()
    assert states(coming) == {"": State.CANCELLED, "Léa": State.CONFIRMED}
    assert list(past.registrations.values_list("name", "state")) == [("", State.CONFIRMED)]
    assert [m.to for m in mail.outbox] == [["lea@example.net"]]
