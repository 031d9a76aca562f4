"""/api/v1/events: occurrences with offsets in the event's zone, the agenda's filters, one
event with its rule; public events only."""

import pytest

from essaim.agenda.models import EventChange
from tests.agenda.conftest import make_event, paris
from tests.agenda.feed_fixtures import (
    WINDOW_API,
    agenda_fixture,  # noqa: F401 (fixture)
    count_queries,
    synced,
    theme_fixture,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/events"


def results(client, query: str) -> list[dict]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_occurrences_carry_offsets_of_their_zone_and_their_place(client, agenda):
    found = results(client, WINDOW_API)
    assert [(r["title"], r["start"]) for r in found] == [
        ("Atelier vélo", "2027-03-16T18:00:00+01:00"),
        ("Webinaire coopératives", "2027-03-20T10:00:00-04:00"),
        ("Atelier vélo (mercredi)", "2027-03-31T19:00:00+02:00"),
        ("Atelier vélo", "2027-04-06T18:00:00+02:00"),
        ("Festival des possibles", "2027-04-09T00:00:00+02:00"),
        ("Atelier vélo", "2027-04-13T18:00:00+02:00"),
        ("Atelier vélo", "2027-04-20T18:00:00+02:00"),
    ]
    moved, cancelled = found[2], found[3]
    assert moved["recurrence_id"] == "2027-03-30T18:00:00+02:00"
    assert (cancelled["status"], moved["status"]) == ("cancelled", "scheduled")
    assert moved["uid"] == agenda["series"].uid
    assert moved["url"] == "http://testserver/agenda/atelier-velo/"
    assert moved["themes"] == ["reemploi"]
    assert moved["place"] == {
        "name": "", "address": "", "postal_code": "", "commune_code": "37261",
        "commune": "Tours", "latitude": agenda["series"].latitude,
        "longitude": agenda["series"].longitude,
    }  # fmt: skip
    online = found[1]
    assert (online["place"], online["online_url"]) == (None, "https://visio.example/coop?a=1,2")
    festival = found[4]
    assert (festival["all_day"], festival["end"]) == (True, "2027-04-12T00:00:00+02:00")


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("start=2027-04-09&end=2027-04-09", ["Festival des possibles"]),
        ("start=2027-03-01&end=2027-04-30&theme=reemploi&q=festival",
         ["Festival des possibles"]),
        ("start=2027-03-01&end=2027-04-30&en_ligne=1", ["Webinaire coopératives"]),
        ("start=2027-03-01&end=2027-04-30&territoire=45", ["Festival des possibles"]),
        ("start=2027-03-01&end=2027-03-20&pres=37261&rayon=5", ["Atelier vélo"]),
    ],
)  # fmt: skip
def test_same_filters_as_the_agenda(client, agenda, query, titles):
    assert [r["title"] for r in results(client, query)] == titles


@pytest.mark.parametrize(
    ("query", "status", "parameter"),
    [
        ("theme=inconnu", 400, "theme"),
        ("start=2027-04-10&end=2027-04-01", 400, "end"),
        ("territoire=nulle-part", 400, "territoire"),
        ("rayon=loin&pres=37261", 400, "rayon"),
        ("start=2027-13-01", 422, "start"),
        ("page=deux", 422, "page"),
    ],
)
def test_bad_parameters_are_refused_naming_them(client, agenda, query, status, parameter):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == status
    data = response.json()
    if status == 400:
        assert data["parameter"] == parameter and data["error"]
    else:
        assert [e["loc"] for e in data["detail"]] == [["query", parameter]]


def test_pagination_links_the_next_page(client, agenda):
    first = client.get(f"{URL}?{WINDOW_API}&page_size=5").json()
    assert (first["count"], len(first["results"])) == (7, 5)
    second = client.get(first["next"])
    assert second.json()["previous"] and second.json()["next"] is None
    assert [r["title"] for r in second.json()["results"]] == ["Atelier vélo"] * 2


def test_never_lists_pending_or_hidden_events(client, agenda):
    titles = {r["title"] for r in results(client, f"{WINDOW_API}&page_size=500")}
    assert not any(t.startswith("Secret") for t in titles)
    for secret in agenda["secrets"]:
        assert client.get(f"{URL}/{secret.slug}").status_code == 404


def test_event_detail_gives_the_rule_its_exceptions_and_changes(client, agenda):
    data = client.get(f"{URL}/atelier-velo").json()
    assert (data["uid"], data["rrule"], data["exdates"]) == (
        agenda["series"].uid, "FREQ=WEEKLY;COUNT=6", ["2027-03-23T18:00"])  # fmt: skip
    assert (data["start"], data["timezone"]) == ("2027-03-16T18:00:00+01:00", "Europe/Paris")
    assert data["description"] == "On répare ensemble."
    assert [(c["recurrence_id"], c["start"], c["status"]) for c in data["changes"]] == [
        ("2027-03-30T18:00:00+02:00", "2027-03-31T19:00:00+02:00", "scheduled"),
        ("2027-04-06T18:00:00+02:00", "2027-04-06T18:00:00+02:00", "cancelled"),
    ]


def test_openapi_documents_the_events_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/events", "/api/v1/events/{slug}"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/events"]["get"]["parameters"]}
    assert {"start", "end", "theme", "territoire", "pres", "rayon", "page"} <= parameters
    assert "recurrence_id" in schema["components"]["schemas"]["OccurrenceOut"]["properties"]


def test_list_query_count_does_not_grow(client, theme):
    def make(title, day):
        event = synced(make_event(title, start=paris(2027, 3, day, 18, 0), themes=[theme],
                                  rrule="FREQ=WEEKLY;COUNT=2"))  # fmt: skip
        EventChange.objects.create(
            event=event,
            recurrence_id=paris(2027, 3, day + 7, 18, 0),
            start=paris(2027, 3, day + 7, 19, 0),
            end=paris(2027, 3, day + 7, 20, 0),
            title=f"{title} bis",
        )

    make("Un", 2)
    one = count_queries(lambda: client.get(f"{URL}?{WINDOW_API}"))
    make("Deux", 3)
    make("Trois", 4)
    three = count_queries(lambda: client.get(f"{URL}?{WINDOW_API}"))
    assert three == one
    assert len(results(client, WINDOW_API)) == 6
