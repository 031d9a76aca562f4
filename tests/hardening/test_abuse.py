"""Abuse: scripted anonymous submissions are rate-limited and never published; the
moderators' queue stays usable (bounded, bulk refusal); reports cannot hide content
without enough distinct people, and then only for review."""

import hypothesis
import pytest
from django.conf import settings
from django.core.cache import cache

from essaim.initiatives.models import Initiative
from essaim.moderation.models import Report, Status
from tests.conftest import make_user
from tests.initiatives import conftest as initiative_fixtures
from tests.initiatives.conftest import make_initiative
from tests.initiatives.test_forms import proposal

pytestmark = pytest.mark.django_db
themes = initiative_fixtures.themes  # the initiatives' theme fixture
# The thousand under the hardening profile (pytest --hypothesis-profile=hardening),
# a hundred in the suite: the allowance is five.
SCRIPTED = 1000 if hypothesis.settings.get_current_profile_name() == "hardening" else 100
FLOOD = 120


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()  # rate-limit counters of earlier tests
    yield
    cache.clear()


def test_scripted_submissions_from_one_address_are_cut_at_the_allowance_then_blocked(
    client, themes, django_user_model
):
    answers = [
        client.post(
            "/initiatives/proposer/",
            proposal(themes, name=f"Offre n°{n}"),
            REMOTE_ADDR="203.0.113.9",
        )  # fmt: skip
        for n in range(SCRIPTED)
    ]

    accepted = [a for a in answers if a.status_code == 302]
    allowance = settings.ESSAIM_ANTISPAM_RATE_LIMIT
    assert len(accepted) == allowance
    refused = answers[-1].content.decode()
    assert "Trop d&#x27;envois depuis votre connexion" in refused
    assert Initiative.objects.count() == allowance  # nothing written for the refused ones
    assert set(Initiative.objects.values_list("status", flat=True)) == {Status.PENDING}
    assert "Offre n°" not in client.get("/initiatives/").content.decode()

    # The moderator blocks the address from the queue: its pending items are refused, and
    # it stays refused once the rate-limit window has passed.
    honest = client.post("/initiatives/proposer/", proposal(themes, name="Épicerie"),
                         REMOTE_ADDR="203.0.113.10")  # fmt: skip
    assert honest.status_code == 302
    first = Initiative.objects.get(name="Offre n°0")
    client.force_login(make_user(django_user_model, "modo@example.org", "moderateur"))
    client.post("/admin/moderation/bloquer/", {
        "items": [f"initiatives.initiative:{first.pk}"], "confirm": "1",
        "reason": "Envois automatisés.", "duration": "30"})  # fmt: skip
    client.logout()
    cache.clear()  # the rate-limit window has passed

    assert Initiative.objects.filter(status=Status.REJECTED).count() == allowance
    assert Initiative.objects.get(name="Épicerie").status == Status.PENDING
    again = client.post("/initiatives/proposer/", proposal(themes, name="Offre encore"),
                        REMOTE_ADDR="203.0.113.9")  # fmt: skip
    assert again.status_code == 200
    assert "Les envois depuis votre connexion sont bloqués" in again.content.decode()
    assert not Initiative.objects.filter(name="Offre encore").exists()


def test_a_flood_from_many_addresses_stays_pending_and_is_refused_in_bulk(
    client,
    themes,
    django_user_model,
    django_assert_max_num_queries,
):
    for n in range(FLOOD):
        answer = client.post("/initiatives/proposer/", proposal(themes, name=f"Pub n°{n}"),
                             REMOTE_ADDR=f"198.51.100.{n}")  # fmt: skip
        assert answer.status_code == 302
    assert Initiative.objects.pending().count() == FLOOD
    assert not Initiative.objects.public().exists()

    moderator = make_user(django_user_model, "modo@example.org", "moderateur")
    client.force_login(moderator)
    with django_assert_max_num_queries(40):  # bounded however long the queue
        queue = client.get("/admin/moderation/").content.decode()
    assert "Pub n°" in queue
    keys = [
        f"initiatives.initiative:{pk}" for pk in Initiative.objects.values_list("pk", flat=True)
    ]
    for start in range(0, len(keys), 100):
        client.post("/admin/moderation/refuser/", {"items": keys[start : start + 100],
                                                   "reason": "Publicité."})  # fmt: skip

    assert Initiative.objects.filter(status=Status.REJECTED).count() == FLOOD
    assert "Pub n°" not in client.get("/admin/moderation/").content.decode()


def test_reports_hide_only_after_enough_distinct_people_and_only_for_review(client, themes):
    target = make_initiative("Épicerie solidaire", Status.PUBLISHED)
    url = target.get_report_url()
    data = proposal(themes)  # carries a valid anti-spam timestamp
    report = {"reason": Report.Reason.choices[0][0], "antispam_ts": data["antispam_ts"]}

    for _ in range(10):  # one person, many times: one report
        client.post(url, report, REMOTE_ADDR="192.0.2.1")
    target.refresh_from_db()
    assert not target.is_hidden and Report.for_object(target).count() == 1

    threshold = settings.ESSAIM_REPORTS_BEFORE_HIDING
    for n in range(2, threshold + 1):
        client.post(url, report, REMOTE_ADDR=f"192.0.2.{n}")
    target.refresh_from_db()
    assert target.is_hidden and target.status == Status.PUBLISHED  # hidden, not removed
    assert "Épicerie solidaire" not in client.get("/initiatives/").content.decode()


def test_a_blocked_address_can_submit_through_no_public_form(client, themes):
    from essaim.agenda.models import Event
    from essaim.moderation.antispam import address_hash
    from essaim.moderation.models import BlockedAddress
    from tests.agenda.test_pages import proposal as event_proposal

    blocked = {"REMOTE_ADDR": "203.0.113.66"}
    request = type("R", (), {"META": blocked})
    BlockedAddress.objects.create(address_hash=address_hash(request), reason="Spam")
    target = make_initiative("Épicerie solidaire", Status.PUBLISHED, email="epi@example.org")
    data = proposal(themes)
    theme = themes["amap"]

    answers = {
        "initiative": client.post("/initiatives/proposer/", data, **blocked),
        "event": client.post("/agenda/proposer/", event_proposal(theme, antispam_ts=data[
            "antispam_ts"]), **blocked),
        "report": client.post(target.get_report_url(), {
            "reason": "spam", "antispam_ts": data["antispam_ts"]}, **blocked),
        "contact": client.post(f"{target.get_absolute_url()}contact/", {
            "name": "Robot", "email": "r@example.net", "message": "Achetez",
            "antispam_ts": data["antispam_ts"]}, **blocked),
    }  # fmt: skip

    for form, answer in answers.items():
        assert answer.status_code in (200, 400), form
        assert "Les envois depuis votre connexion sont bloqués" in answer.content.decode(), form
    assert Initiative.objects.count() == 1 and not Event.objects.exists()
    assert not Report.objects.exists()
    # Another connection is not affected.
    other = client.post("/initiatives/proposer/", proposal(themes, name="Autre"),
                        REMOTE_ADDR="203.0.113.67")  # fmt: skip
    assert other.status_code == 302
