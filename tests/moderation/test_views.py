import pytest
from django.test import Client

from essaim.moderation.models import Report, Status
from tests.moderation.conftest import form_data, make_proposal
from tests.testapp.models import Proposal


def report_url(item) -> str:
    return f"/signaler/testapp.proposal/{item.pk}/"


@pytest.mark.django_db
def test_report_form_is_french_and_accessible(client, published):
    response = client.get(report_url(published))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Signaler un contenu</h1>" in html
    assert "<legend>Pourquoi signalez-vous ce contenu ?" in html
    assert html.count('type="radio" name="reason"') == 6
    assert "Information erronée" in html and "Contenu choquant" in html
    assert '<label for="id_comment">Précisions (facultatif)' in html
    assert '<div class="honeypot">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.PENDING, Status.DRAFT, Status.REJECTED, Status.ARCHIVED])
def test_report_form_is_404_for_items_the_public_cannot_see(client, status):
    item = make_proposal(status, title="Contenu non public à ne pas révéler")

    response = client.get(report_url(item))

    assert response.status_code == 404
    assert "Contenu non public" not in response.content.decode()


@pytest.mark.django_db
def test_report_form_is_404_for_hidden_items_unknown_types_and_bad_keys(client, published):
    hidden = make_proposal(is_hidden=True)

    assert client.get(report_url(hidden)).status_code == 404
    assert client.get(f"/signaler/accounts.user/{published.pk}/").status_code == 404
    assert client.get("/signaler/testapp.proposal/abc/").status_code == 404


@pytest.mark.django_db
def test_anonymous_visitor_reports_without_an_account(client, published):
    response = client.post(report_url(published),
                           form_data(reason="gone", comment="Fermé depuis mars."))  # fmt: skip

    assert response.status_code == 200
    assert "Merci pour votre signalement" in response.content.decode()
    report = Report.objects.get()
    assert (report.reason, report.comment, report.reporter) == ("gone", "Fermé depuis mars.", None)
    assert report.reporter_key.startswith("addr:") and "127.0.0.1" not in report.reporter_key


@pytest.mark.django_db
def test_second_report_from_the_same_person_is_refused_politely(client, member, published):
    client.force_login(member)
    client.post(report_url(published), form_data(reason="gone"))

    response = client.post(report_url(published), form_data(reason="spam"))

    assert "Vous avez déjà signalé ce contenu" in response.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_report_honeypot_stops_robots(client, published):
    response = client.post(report_url(published), form_data(reason="spam", site_web_2="x"))

    assert "doit rester vide" in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_published_item_reported_three_times_is_hidden_queued_and_decided(
    django_capture_on_commit_callbacks, client, moderator, published
):
    from django.core import mail

    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        visitor = Client(REMOTE_ADDR=address)
        with django_capture_on_commit_callbacks(execute=True):
            visitor.post(report_url(published), form_data(reason="charter", comment=address))

    published.refresh_from_db()
    assert published.is_hidden
    assert list(Proposal.objects.public()) == []
    assert Client().get(report_url(published)).status_code == 404
    assert [m.to for m in mail.outbox] == [["mona@example.org"]]

    client.force_login(moderator)
    queue = client.get("/admin/moderation/").content.decode()
    hidden_section = queue.split('id="masques"')[1]
    assert f'href="/admin/moderation/testapp.proposal/{published.pk}/"' in hidden_section
    assert "Jardin partagé des Prébendes" in hidden_section

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/moderation/testapp.proposal/{published.pk}/reject/",
                    {"reason": "Contraire à la charte du réseau."})  # fmt: skip

    page = client.get(f"/admin/moderation/testapp.proposal/{published.pk}/").content.decode()
    history = page.split('id="historique-titre"')[1]
    rows = [r.split("</td><td>")[1:3] for r in history.split("<tr><td>")[1:]]
    assert rows == [
        ["Signalé", "anonyme"], ["Signalé", "anonyme"], ["Signalé", "anonyme"],
        ["Masqué après signalements", "anonyme"], ["Refusé", "Mona"],
    ]  # fmt: skip
    assert "Contraire à la charte du réseau." in history
    published.refresh_from_db()
    assert (published.status, published.is_hidden) == (Status.REJECTED, False)
    assert set(Report.objects.values_list("state", flat=True)) == {Report.State.UPHELD}
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert "Jardin partagé des Prébendes" not in client.get("/admin/moderation/").content.decode()
