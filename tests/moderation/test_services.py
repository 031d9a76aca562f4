import pytest
from django.core import mail

from essaim.moderation import services
from essaim.moderation.exceptions import (
    AlreadyReported,
    InvalidEdit,
    ReasonRequired,
    TransitionNotAllowed,
)
from essaim.moderation.models import ModerationEvent, PendingVersion, Report, Status
from tests.moderation.conftest import make_proposal
from tests.testapp.models import Proposal

Action = ModerationEvent.Action


def history(obj) -> list[tuple[str, str, str]]:
    return [(e.action, e.actor_label, e.reason) for e in ModerationEvent.for_object(obj)]


@pytest.mark.django_db
def test_full_lifecycle_is_recorded_in_the_history(owner, moderator):
    item = Proposal(title="Épicerie solidaire de Blois")

    services.submit(obj=item, by=owner)
    services.publish(obj=item, by=moderator, reason="Merci !")
    services.archive(obj=item, by=moderator, reason="Fermée pour l'hiver")
    services.restore(obj=item, by=moderator)

    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert item.submitted_by == owner
    assert item.published_at is not None and item.last_moderated_at is not None
    assert history(item) == [
        (Action.SUBMITTED, "Alice", ""),
        (Action.PUBLISHED, "Mona", "Merci !"),
        (Action.ARCHIVED, "Mona", "Fermée pour l'hiver"),
        (Action.RESTORED, "Mona", ""),
    ]


@pytest.mark.django_db
def test_anonymous_submission_keeps_the_email_and_shows_anonyme():
    item = Proposal(title="AMAP du Véron")

    services.submit(obj=item, email="anon@example.net")

    assert Proposal.objects.get().submitter_email == "anon@example.net"
    assert history(item) == [(Action.SUBMITTED, "anonyme", "")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "service"),
    [
        (Status.PUBLISHED, "submit"),
        (Status.ARCHIVED, "publish"),
        (Status.DRAFT, "archive"),
        (Status.PENDING, "restore"),
        (Status.ARCHIVED, "reject"),
    ],
)
def test_illegal_transitions_are_refused_and_leave_no_trace(moderator, status, service):
    item = make_proposal(status)
    kwargs = {"obj": item, "by": moderator}
    if service != "submit":
        kwargs["reason"] = "motif"

    with pytest.raises(TransitionNotAllowed):
        getattr(services, service)(**kwargs)

    assert Proposal.objects.get().status == status
    assert history(item) == []


@pytest.mark.django_db
def test_reject_requires_a_reason(moderator, pending):
    with pytest.raises(ReasonRequired):
        services.reject(obj=pending, by=moderator, reason="  ")

    assert Proposal.objects.get().status == Status.PENDING


@pytest.mark.django_db
def test_reject_many_refuses_pending_and_skips_archived(moderator):
    spam = [make_proposal(Status.PENDING, title=f"spam {i}") for i in range(2)]
    archived = make_proposal(Status.ARCHIVED, title="ancien")

    count = services.reject_many(objects=[*spam, archived], by=moderator, reason="Spam")

    assert count == 2
    assert sorted(Proposal.objects.values_list("status", flat=True)) == [
        Status.ARCHIVED, Status.REJECTED, Status.REJECTED,
    ]  # fmt: skip


@pytest.mark.django_db
def test_three_distinct_reporters_hide_the_item(settings, published, member, outsider, owner):
    settings.ESSAIM_REPORTS_BEFORE_HIDING = 3
    services.report(obj=published, reason=Report.Reason.GONE, by=member)
    services.report(obj=published, reason=Report.Reason.WRONG, address_hash="abc")
    assert Proposal.objects.public().count() == 1

    services.report(obj=published, reason=Report.Reason.SPAM, by=outsider)

    published.refresh_from_db()
    assert published.is_hidden and published.status == Status.PUBLISHED
    assert list(Proposal.objects.public()) == []
    assert [e.action for e in ModerationEvent.for_object(published)] == [
        Action.REPORTED, Action.REPORTED, Action.REPORTED, Action.HIDDEN,
    ]  # fmt: skip


@pytest.mark.django_db
def test_one_open_report_per_reporter(published, member):
    services.report(obj=published, reason=Report.Reason.GONE, by=member)

    with pytest.raises(AlreadyReported):
        services.report(obj=published, reason=Report.Reason.SPAM, by=member)
    with pytest.raises(AlreadyReported):
        services.report(obj=published, reason=Report.Reason.SPAM, address_hash="x")
        services.report(obj=published, reason=Report.Reason.SPAM, address_hash="x")

    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_unpublished_items_cannot_be_reported(pending, member):
    with pytest.raises(TransitionNotAllowed):
        services.report(obj=pending, reason=Report.Reason.SPAM, by=member)


@pytest.mark.django_db
def test_dismissing_reports_unhides_and_closes_them(settings, published, moderator):
    settings.ESSAIM_REPORTS_BEFORE_HIDING = 1
    services.report(obj=published, reason=Report.Reason.SPAM, address_hash="a")

    services.dismiss_reports(obj=published, by=moderator, reason="Signalement infondé")

    published.refresh_from_db()
    assert published.is_public
    assert list(Report.objects.values_list("state", flat=True)) == [Report.State.DISMISSED]
    assert history(published)[-1] == (Action.REPORTS_DISMISSED, "Mona", "Signalement infondé")


@pytest.mark.django_db
def test_rejecting_a_hidden_item_upholds_its_reports(settings, published, moderator):
    settings.ESSAIM_REPORTS_BEFORE_HIDING = 1
    services.report(obj=published, reason=Report.Reason.SPAM, address_hash="a")

    services.reject(obj=published, by=moderator, reason="Publicité")

    published.refresh_from_db()
    assert (published.status, published.is_hidden) == (Status.REJECTED, False)
    assert list(Report.objects.values_list("state", flat=True)) == [Report.State.UPHELD]


@pytest.mark.django_db
def test_pending_version_diff_then_accept_applies_it(published, member, moderator):
    version = services.propose_edit(
        obj=published, changes={"title": published.title, "body": "Le samedi et le mercredi."},
        by=member,
    )  # fmt: skip

    assert version.changes == {"body": "Le samedi et le mercredi."}
    assert [(r.label, r.current, r.proposed) for r in version.diff()] == [
        ("texte", "Un jardin ouvert à tous, le samedi matin.", "Le samedi et le mercredi."),
    ]
    assert Proposal.objects.get().body == "Un jardin ouvert à tous, le samedi matin."

    services.accept_edit(version=version, by=moderator)

    assert Proposal.objects.get().body == "Le samedi et le mercredi."
    assert PendingVersion.objects.get().state == PendingVersion.State.ACCEPTED
    assert [a for a, _, _ in history(published)] == [Action.EDIT_PROPOSED, Action.EDIT_ACCEPTED]


@pytest.mark.django_db
def test_rejecting_a_pending_version_keeps_the_published_one(published, moderator):
    version = services.propose_edit(obj=published, changes={"title": "Autre titre"})

    services.reject_edit(version=version, by=moderator, reason="Titre moins clair")

    assert Proposal.objects.get().title == "Jardin partagé des Prébendes"
    with pytest.raises(TransitionNotAllowed):
        services.accept_edit(version=version, by=moderator)


@pytest.mark.django_db
def test_propose_edit_refuses_unmoderated_fields_and_no_change(published):
    with pytest.raises(InvalidEdit):
        services.propose_edit(obj=published, changes={"status": Status.DRAFT})
    with pytest.raises(InvalidEdit):
        services.propose_edit(obj=published, changes={"title": published.title})
    assert PendingVersion.objects.count() == 0


@pytest.mark.django_db
def test_history_rows_are_exportable_without_personal_data(owner):
    item = Proposal(title="Ressourcerie")
    services.submit(obj=item, by=owner, email="secret@example.net")

    row = ModerationEvent.objects.get().as_row()

    assert row["type"] == "testapp.proposal" and row["actor"] == "Alice"
    assert "secret@example.net" not in str(row) and "alice@example.org" not in str(row)


@pytest.mark.django_db
def test_no_mail_leaves_before_the_transaction_commits(owner, moderator):
    services.submit(obj=Proposal(title="Tiers-lieu"), by=owner)

    assert mail.outbox == []
