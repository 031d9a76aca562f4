import pytest
from django.core import mail

from essaim.moderation import services
from essaim.moderation.models import Report
from tests.testapp.models import Proposal


@pytest.mark.django_db
def test_new_pending_item_mails_each_moderator_and_nobody_else(
    django_capture_on_commit_callbacks, moderator, member, owner
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(obj=Proposal(title="Repair café"), email="anon@example.net")

    assert [m.to for m in mail.outbox] == [["mona@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "[Essaim] À modérer : proposition « Repair café »"
    item = Proposal.objects.get()
    assert f"/admin/moderation/testapp.proposal/{item.pk}/" in message.body
    assert "anon@example.net" not in message.body


@pytest.mark.django_db
def test_publication_mails_the_anonymous_contributor_with_the_link(
    django_capture_on_commit_callbacks, moderator, pending
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(obj=pending, by=moderator, reason="Bienvenue sur la carte")

    assert [m.to for m in mail.outbox] == [["anon@example.net"]]
    body = mail.outbox[0].body
    subject = "[Essaim] Votre contribution « Repair café de Joué » est publiée"
    assert mail.outbox[0].subject == subject
    assert f"/test/propositions/{pending.pk}/" in body
    assert "Bienvenue sur la carte" in body


@pytest.mark.django_db
def test_refusal_mails_the_signed_in_contributor_the_reason(
    django_capture_on_commit_callbacks, moderator, owner
):
    item = Proposal.objects.create(title="Vente de montres", submitted_by=owner, status="pending")

    with django_capture_on_commit_callbacks(execute=True):
        services.reject(obj=item, by=moderator, reason="Hors du champ de l'ESS.")

    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "n'a pas été retenue" in mail.outbox[0].subject
    assert "Hors du champ de l'ESS." in mail.outbox[0].body


@pytest.mark.django_db
def test_hiding_after_reports_mails_moderators(
    django_capture_on_commit_callbacks, settings, moderator, published
):
    settings.ESSAIM_REPORTS_BEFORE_HIDING = 2
    with django_capture_on_commit_callbacks(execute=True):
        services.report(obj=published, reason=Report.Reason.SPAM, address_hash="a")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.report(obj=published, reason=Report.Reason.SPAM, address_hash="b")

    assert [m.to for m in mail.outbox] == [["mona@example.org"]]
    assert mail.outbox[0].subject.startswith("[Essaim] Masqué après signalements")


@pytest.mark.django_db
def test_edit_decision_mails_the_version_author(
    django_capture_on_commit_callbacks, moderator, member, published
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.propose_edit(obj=published, changes={"title": "Nouveau"}, by=member)
    assert [m.to for m in mail.outbox] == [["mona@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_edit(version=version, by=moderator, reason="Titre trompeur")

    assert mail.outbox[-1].to == ["bob@example.org"]
    assert "Titre trompeur" in mail.outbox[-1].body
