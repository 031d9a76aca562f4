import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from essaim.accounts.roles import Role
from essaim.consultations import services
from essaim.consultations.exceptions import (
    AlreadySupported,
    Locked,
    NotAllowed,
    PhaseClosed,
    SupportLimitReached,
)
from essaim.consultations.models import AnswerState, Comment, Participation, Phase, Support
from essaim.moderation import services as moderation
from essaim.moderation.models import Status
from tests.conftest import make_user
from tests.consultations.factories import make_consultation, make_proposal, set_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(django_user_model):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(email="nv@example.org", password="x")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user


# --- participation -----------------------------------------------------------------------


def test_verified_people_take_part_by_default(owner, unverified):
    consultation = make_consultation()
    assert services.can_participate(consultation, owner)
    assert not services.can_participate(consultation, unverified)


def test_members_only(owner, member):
    consultation = make_consultation(participation=Participation.MEMBERS)
    assert services.can_participate(consultation, member)
    assert not services.can_participate(consultation, owner)


def test_invited_list(owner, outsider):
    consultation = make_consultation(participation=Participation.INVITED,
                                     invited_emails="ALICE@example.org\n")  # fmt: skip
    assert services.can_participate(consultation, owner)
    assert not services.can_participate(consultation, outsider)


# --- proposals ---------------------------------------------------------------------------


def test_a_proposal_waits_for_moderation(owner, moderator, django_capture_on_commit_callbacks):
    consultation = make_consultation(Phase.PROPOSALS)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.submit_proposal(consultation=consultation, author=owner,
                                            title="Vélos", body="Des pistes")  # fmt: skip
    assert proposal.status == Status.PENDING
    assert not type(proposal).objects.public().exists()
    assert any("mona@example.org" in m.to for m in mail.outbox)


def test_proposals_only_during_the_proposals_phase(owner):
    consultation = make_consultation(Phase.DISCUSSION)
    with pytest.raises(PhaseClosed):
        services.submit_proposal(consultation=consultation, author=owner, title="Trop tard")


def test_an_unverified_person_cannot_propose(unverified):
    with pytest.raises(NotAllowed):
        services.submit_proposal(consultation=make_consultation(), author=unverified, title="X")


def test_the_author_edits_a_pending_proposal_in_place(owner, outsider):
    consultation = make_consultation(Phase.PROPOSALS)
    proposal = make_proposal(consultation, owner, status=Status.PENDING)
    services.edit_proposal(proposal=proposal, by=owner, changes={"title": "Nouveau titre"})
    proposal.refresh_from_db()
    assert proposal.title == "Nouveau titre"
    with pytest.raises(Locked):
        services.edit_proposal(proposal=proposal, by=outsider, changes={"title": "Volé"})


def test_an_invited_coauthor_may_edit(owner, outsider, django_capture_on_commit_callbacks):
    proposal = make_proposal(make_consultation(Phase.PROPOSALS), owner, status=Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_coauthor(proposal=proposal, by=owner, email="charlie@example.org")
    assert any("charlie@example.org" in m.to for m in mail.outbox)
    services.edit_proposal(proposal=proposal, by=outsider, changes={"title": "À deux"})
    proposal.refresh_from_db()
    assert proposal.title == "À deux"


def test_editing_a_published_proposal_goes_through_moderation(owner):
    from essaim.moderation.models import PendingVersion

    proposal = make_proposal(make_consultation(Phase.DISCUSSION), owner)
    services.edit_proposal(proposal=proposal, by=owner, changes={"title": "Changé"})
    proposal.refresh_from_db()
    assert proposal.title == "Des cantines bio"
    assert PendingVersion.for_object(proposal).get().changes == {"title": "Changé"}


def test_a_published_contribution_keeps_its_sections(owner):
    proposal = make_proposal(make_consultation(Phase.DISCUSSION), owner, kind="contribution")
    proposal.sections.create(position=0, heading="A", body="a")
    with pytest.raises(Locked):
        services.edit_proposal(proposal=proposal, by=owner, changes={"title": "T"},
                               sections=[("B", "b")])  # fmt: skip
    services.edit_proposal(proposal=proposal, by=owner, changes={"title": "T"},
                           sections=[("A", "a")])  # fmt: skip


def test_a_support_discards_edits_awaiting_moderation(owner, member):
    from essaim.moderation.models import PendingVersion

    consultation = make_consultation(Phase.DISCUSSION)
    proposal = make_proposal(consultation, owner)
    services.edit_proposal(proposal=proposal, by=owner, changes={"title": "Sous les soutiens"})
    version = PendingVersion.for_object(proposal).get()
    set_phase(consultation, Phase.SUPPORTS)
    services.support(proposal=proposal, user=member)
    version.refresh_from_db()
    assert version.state == PendingVersion.State.REJECTED
    from essaim.moderation.exceptions import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        moderation.accept_edit(version=version, by=None)
    proposal.refresh_from_db()
    assert proposal.title == "Des cantines bio"


def test_the_supports_phase_discards_edits_awaiting_moderation(owner):
    from essaim.moderation.models import PendingVersion

    consultation = make_consultation(Phase.DISCUSSION)
    proposal = make_proposal(consultation, owner)
    services.edit_proposal(proposal=proposal, by=owner, changes={"title": "Tard"})
    set_phase(consultation, Phase.SUPPORTS)
    services.detect_phase_changes()
    assert PendingVersion.for_object(proposal).get().state == PendingVersion.State.REJECTED


def test_proposals_lock_when_supports_open(owner):
    consultation = make_consultation(Phase.SUPPORTS)
    proposal = make_proposal(consultation, owner)
    assert services.edit_refusal(proposal, owner)
    with pytest.raises(Locked):
        services.edit_proposal(proposal=proposal, by=owner, changes={"title": "Trop tard"})


def test_a_supported_proposal_is_never_edited(owner, member):
    consultation = make_consultation(Phase.DISCUSSION)
    proposal = make_proposal(consultation, owner)
    Support.objects.create(proposal=proposal, user=member)  # e.g. phases moved back
    with pytest.raises(Locked):
        services.edit_proposal(proposal=proposal, by=owner, changes={"title": "Autre"})


def test_attachments_are_stored_and_checked_by_content(owner):
    from essaim.consultations.forms import AttachmentsField

    field = AttachmentsField(required=False)
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    [(title, upload, kind)] = field.clean([pdf])
    assert kind == "application/pdf"
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        field.clean([fake])
    proposal = services.submit_proposal(
        consultation=make_consultation(), author=owner, title="Avec PDF",
        attachments=[(title, upload, kind)],
    )  # fmt: skip
    stored = proposal.attachments.get()
    assert stored.content_type == "application/pdf" and stored.size == len(b"%PDF-1.4 test")


def test_attachments_over_the_size_limit_are_refused(settings):
    from django.core.exceptions import ValidationError

    from essaim.consultations.forms import AttachmentsField

    settings.ESSAIM_CONSULTATIONS_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        AttachmentsField().clean([SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 20)])


# --- comments ----------------------------------------------------------------------------


def test_comments_publish_at_once_for_verified_people(owner):
    proposal = make_proposal(make_consultation(Phase.DISCUSSION))
    comment = services.add_comment(proposal=proposal, author=owner, body="Oui !")
    assert Comment.objects.public().get() == comment


def test_pre_moderated_comments_wait(owner):
    consultation = make_consultation(Phase.DISCUSSION, pre_moderated_comments=True)
    comment = services.add_comment(proposal=make_proposal(consultation), author=owner, body="?")
    assert comment.status == Status.PENDING
    assert not Comment.objects.public().exists()


def test_threads_stop_at_three_levels(owner):
    proposal = make_proposal(make_consultation(Phase.DISCUSSION))
    first = services.add_comment(proposal=proposal, author=owner, body="1")
    second = services.add_comment(proposal=proposal, author=owner, body="2", parent=first)
    third = services.add_comment(proposal=proposal, author=owner, body="3", parent=second)
    fourth = services.add_comment(proposal=proposal, author=owner, body="4", parent=third)
    assert (second.depth, third.depth, fourth.depth) == (2, 3, 3)
    assert fourth.parent == second


def test_comments_of_a_hidden_proposal_are_not_public(owner):
    proposal = make_proposal(make_consultation(Phase.DISCUSSION))
    services.add_comment(proposal=proposal, author=owner, body="visible ?")
    proposal.is_hidden = True
    proposal.save()
    assert not Comment.objects.public().exists()


@pytest.mark.parametrize("kind", ["proposal", "comment"])
def test_three_reports_hide_an_item(kind, owner, member, outsider, moderator):
    proposal = make_proposal(make_consultation(Phase.DISCUSSION), owner)
    item = proposal if kind == "proposal" else services.add_comment(
        proposal=proposal, author=owner, body="Signalé")  # fmt: skip
    for user in (member, outsider):
        moderation.report(obj=item, reason="spam", by=user)
    item.refresh_from_db()
    assert item.is_public
    moderation.report(obj=item, reason="spam", by=moderator)
    item.refresh_from_db()
    assert item.is_hidden and not type(item).objects.public().filter(pk=item.pk).exists()


# --- supports ----------------------------------------------------------------------------


def test_one_support_per_person(owner):
    proposal = make_proposal(make_consultation(Phase.SUPPORTS))
    services.support(proposal=proposal, user=owner)
    with pytest.raises(AlreadySupported):
        services.support(proposal=proposal, user=owner)
    assert proposal.supports.count() == 1


def test_the_unique_constraint_backs_the_rule(owner):
    from django.db import IntegrityError, transaction

    proposal = make_proposal(make_consultation(Phase.SUPPORTS))
    Support.objects.create(proposal=proposal, user=owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=proposal, user=owner)


def test_the_maximum_per_person(owner):
    consultation = make_consultation(Phase.SUPPORTS, max_supports=2)
    a, b, c = (make_proposal(consultation, title=t) for t in "abc")
    services.support(proposal=a, user=owner)
    services.support(proposal=b, user=owner)
    assert services.supports_summary(consultation, owner) == "Vous avez utilisé 2 soutiens sur 2."
    with pytest.raises(SupportLimitReached):
        services.support(proposal=c, user=owner)
    services.withdraw_support(proposal=a, user=owner)
    services.support(proposal=c, user=owner)
    assert set(Support.objects.values_list("proposal__title", flat=True)) == {"b", "c"}


def test_supports_only_during_their_phase(owner):
    consultation = make_consultation(Phase.DISCUSSION)
    proposal = make_proposal(consultation)
    with pytest.raises(PhaseClosed):
        services.support(proposal=proposal, user=owner)
    set_phase(consultation, Phase.SUPPORTS)
    services.support(proposal=proposal, user=owner)
    set_phase(consultation, Phase.ANSWERS)
    with pytest.raises(PhaseClosed):
        services.withdraw_support(proposal=proposal, user=owner)


def test_supports_follow_the_participation_rule(owner, unverified):
    consultation = make_consultation(Phase.SUPPORTS, participation=Participation.MEMBERS)
    with pytest.raises(NotAllowed):
        services.support(proposal=make_proposal(consultation), user=owner)
    with pytest.raises(NotAllowed):
        services.support(proposal=make_proposal(consultation, title="b"), user=unverified)


def test_a_pending_proposal_cannot_be_supported(owner):
    proposal = make_proposal(make_consultation(Phase.SUPPORTS), status=Status.PENDING)
    with pytest.raises(NotAllowed):
        services.support(proposal=proposal, user=owner)


# --- answers and notifications -----------------------------------------------------------


def test_answers_are_mailed_to_author_coauthors_and_supporters(
    owner, member, outsider, django_user_model, django_capture_on_commit_callbacks
):
    editor = make_user(django_user_model, "ed@example.org", Role.EDITOR)
    consultation = make_consultation(Phase.SUPPORTS)
    proposal = make_proposal(consultation, owner)
    proposal.coauthors.create(email="coauteur@example.org")
    services.support(proposal=proposal, user=member)
    set_phase(consultation, Phase.ANSWERS)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(proposal=proposal, by=editor, state=AnswerState.ACCEPTED,
                        text="Oui, en 2027.")  # fmt: skip
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["alice@example.org", "bob@example.org", "coauteur@example.org"]
    assert "Retenue" in mail.outbox[0].body and "Oui, en 2027." in mail.outbox[0].body
    with pytest.raises(NotAllowed):
        services.answer(proposal=proposal, by=outsider, state=AnswerState.REJECTED, text="Non")


def test_an_organiser_of_the_consultation_may_answer(outsider):
    consultation = make_consultation(Phase.ANSWERS)
    consultation.organisers.add(outsider)
    proposal = make_proposal(consultation)
    services.answer(proposal=proposal, by=outsider, state=AnswerState.PARTIAL, text="En partie")
    proposal.refresh_from_db()
    assert proposal.answer_state == AnswerState.PARTIAL and proposal.answered_at


def test_followers_hear_of_each_new_phase_once(owner, member, django_capture_on_commit_callbacks):
    def detect():
        with django_capture_on_commit_callbacks(execute=True):
            return services.detect_phase_changes()

    consultation = make_consultation(Phase.PROPOSALS)
    services.follow(consultation=consultation, user=owner)
    assert detect() == [consultation.pk]
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert detect() == []
    set_phase(consultation, Phase.SUPPORTS)
    mail.outbox.clear()
    detect()
    detect()
    assert len(mail.outbox) == 1 and "Soutiens" in mail.outbox[0].subject
    services.unfollow(consultation=consultation, user=owner)
    set_phase(consultation, Phase.ANSWERS)
    mail.outbox.clear()
    detect()
    assert mail.outbox == []


def test_the_phase_task_is_periodic(settings):
    assert "essaim.consultations.tasks.detect_phase_changes" in settings.ESSAIM_PERIODIC_TASKS
