"""Writes of the consultations module: keyword-only, each saying its side effects.

Lifecycle changes of proposals and comments go through ``essaim.moderation.services``;
e-mails are sent by tasks once the transaction commits.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from essaim.accounts.roles import Role, has_role
from essaim.consultations.exceptions import (
    AlreadySupported,
    Locked,
    NotAllowed,
    PhaseClosed,
    SupportLimitReached,
)
from essaim.consultations.models import (
    MAX_COMMENT_DEPTH,
    Attachment,
    CoAuthor,
    Comment,
    Consultation,
    Follow,
    Kind,
    Participation,
    Phase,
    Proposal,
    ProposalSection,
    Support,
)
from essaim.moderation import services as moderation
from essaim.moderation.models import ModerationEvent, Status

LOCKED_REASON = ("La proposition a reçu des soutiens ou la phase des soutiens est ouverte : "
                 "son texte ne change plus.")  # fmt: skip
EDITED = "Modifiée par son auteur·rice avant modération."
DIRECT = "Compte vérifié : publié directement."

# --- who may do what ---------------------------------------------------------------------


def verified_emails(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_consultations_verified"):
        user._consultations_verified = {
            e.lower()
            for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    return user._consultations_verified


def is_verified(user) -> bool:
    return bool(verified_emails(user))


def can_participate(consultation: Consultation, user) -> bool:
    """The consultation's participation rule, for ``user`` (always a verified address)."""
    if not is_verified(user):
        return False
    if consultation.participation == Participation.MEMBERS:
        return has_role(user, Role.MEMBER)
    if consultation.participation == Participation.INVITED:
        return bool(verified_emails(user) & consultation.invited())
    return True


def participation_rule(consultation: Consultation) -> str:
    """Who may take part, in plain words."""
    if consultation.participation == Participation.MEMBERS:
        return _("Les organisations membres du réseau, connectées avec une adresse vérifiée, "
                 "peuvent proposer, commenter et soutenir.")  # fmt: skip
    if consultation.participation == Participation.INVITED:
        return _("Seules les personnes invitées par l'organisateur, connectées avec l'adresse "
                 "invitée (vérifiée), peuvent proposer, commenter et soutenir.")  # fmt: skip
    return _("Toute personne qui a un compte avec une adresse e-mail vérifiée peut proposer, "
             "commenter et soutenir.")  # fmt: skip


def support_rule(consultation: Consultation) -> str:
    limit = consultation.max_supports
    if not limit:
        return _("Vous pouvez soutenir autant de propositions que vous voulez, une fois chacune, "
                 "et retirer un soutien tant que la phase des soutiens est ouverte.")  # fmt: skip
    return ngettext(
        "Vous pouvez soutenir %(n)d proposition au plus, une fois, et retirer votre soutien "
        "pour le donner à une autre tant que la phase des soutiens est ouverte.",
        "Vous pouvez soutenir %(n)d propositions au plus, une fois chacune, et retirer un "
        "soutien pour le donner à une autre tant que la phase des soutiens est ouverte.",
        limit,
    ) % {"n": limit}


def supports_used(consultation: Consultation, user) -> int:
    if not user.is_authenticated:
        return 0
    return Support.objects.filter(user=user, proposal__consultation=consultation).count()


def supports_summary(consultation: Consultation, user) -> str:
    """ "Vous avez utilisé 2 soutiens sur 3" (or without the maximum)."""
    used = supports_used(consultation, user)
    if consultation.max_supports:
        limit = consultation.max_supports
        return ngettext("Vous avez utilisé %(used)d soutien sur %(max)d.",
                        "Vous avez utilisé %(used)d soutiens sur %(max)d.",
                        used) % {"used": used, "max": limit}  # fmt: skip
    return ngettext("Vous avez donné %(used)d soutien.", "Vous avez donné %(used)d soutiens.",
                    used) % {"used": used}  # fmt: skip


def is_organiser(consultation: Consultation, user) -> bool:
    if not user.is_authenticated:
        return False
    if has_role(user, Role.EDITOR):
        return True
    return consultation.organisers.filter(pk=user.pk).exists()


def is_author(proposal: Proposal, user) -> bool:
    """The author, or a co-author the author invited (by a verified address)."""
    if not user.is_authenticated:
        return False
    if proposal.submitted_by_id == user.pk:
        return True
    emails = verified_emails(user)
    return bool(emails) and proposal.coauthors.filter(email__in=emails).exists()


def edit_refusal(proposal: Proposal, user) -> str:
    """Why ``user`` may not edit ``proposal`` now ("" if they may)."""
    if not is_author(proposal, user):
        return _("Seuls l'auteur ou l'autrice et les co-auteurs invités modifient une proposition.")
    if proposal.consultation.proposals_locked:
        return _("La phase des soutiens a commencé : les propositions ne changent plus.")
    if proposal.supports.exists():
        return _("Cette proposition a déjà des soutiens : son texte ne peut plus changer.")
    if proposal.status in (Status.REJECTED, Status.ARCHIVED):
        return _("Cette proposition n'est plus en ligne.")
    return ""


# --- proposals ---------------------------------------------------------------------------


def submit_proposal(
    *,
    consultation: Consultation,
    author,
    title: str,
    body: str = "",
    summary: str = "",
    themes=(),
    commune=None,
    latitude: float | None = None,
    longitude: float | None = None,
    attachments=(),
    kind: str = Kind.PROPOSAL,
    sections=(),
) -> Proposal:
    """Create a proposal (or a contribution with ``sections``: (heading, body) pairs) and
    queue it for moderation; stores ``attachments`` ((title, uploaded file, content type));
    mails moderators."""
    if not consultation.accepts_proposals:
        raise PhaseClosed(_("La phase des propositions n'est pas ouverte."))
    if not can_participate(consultation, author):
        raise NotAllowed(participation_rule(consultation))
    if kind == Kind.CONTRIBUTION and not has_role(author, Role.MEMBER):
        raise NotAllowed(_("Les contributions sont déposées par les organisations membres."))
    with transaction.atomic():
        proposal = Proposal.objects.create(
            consultation=consultation, kind=kind, title=title, body=body, summary=summary,
            commune=commune, latitude=latitude, longitude=longitude, submitted_by=author,
        )  # fmt: skip
        proposal.themes.set(themes)
        save_sections(proposal, sections)
        save_attachments(proposal, attachments)
        moderation.submit(obj=proposal, by=author)
    return proposal


def save_sections(proposal: Proposal, sections) -> None:
    proposal.sections.all().delete()
    ProposalSection.objects.bulk_create(
        ProposalSection(proposal=proposal, position=i, heading=heading, body=body)
        for i, (heading, body) in enumerate(sections)
    )


def save_attachments(proposal: Proposal, attachments) -> None:
    for title, upload, content_type in attachments:
        name = default_storage.save(f"consultations/{proposal.pk}/{upload.name}", upload)
        Attachment.objects.create(proposal=proposal, file=name, title=title or upload.name,
                                  content_type=content_type, size=upload.size)  # fmt: skip


def edit_proposal(*, proposal: Proposal, by, changes: dict, sections=None, attachments=()):
    """Change a proposal's text. A draft or pending one changes in place (its moderation
    is still to come); a published one gets a pending version for moderators, so that no
    public text changes silently. Refused once supports open or once it has supports."""
    refusal = edit_refusal(proposal, by)
    if refusal:
        raise Locked(refusal)
    with transaction.atomic():
        # Locked row: a support arriving now waits, then sees the text it supports.
        Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
        if proposal.supports.exists():
            raise Locked(
                _("Cette proposition a déjà des soutiens : son texte ne peut plus changer.")
            )
        if proposal.status == Status.PUBLISHED:
            current = [(x.heading, x.body) for x in proposal.sections.all()]
            if attachments or (sections is not None and list(sections) != current):
                raise Locked(_("Une fois publiée, une proposition garde ses sections et ses "
                               "pièces jointes : seuls le titre, le texte, le résumé, les "
                               "thèmes et le lieu se modifient, après relecture."))  # fmt: skip
            return moderation.propose_edit(obj=proposal, changes=changes, by=by)
        themes = changes.pop("themes", None)
        for name, value in changes.items():
            setattr(proposal, name, value)
        proposal.save()
        if themes is not None:
            proposal.themes.set(themes)
        if sections is not None:
            save_sections(proposal, sections)
        save_attachments(proposal, attachments)
        moderation.record_event(obj=proposal, action=ModerationEvent.Action.COMMENT, by=by,
                                reason=EDITED)  # fmt: skip
    return proposal


def invite_coauthor(*, proposal: Proposal, by, email: str) -> CoAuthor:
    """Let ``email`` edit the proposal too (once signed in with it, verified); mails them."""
    if proposal.submitted_by_id != by.pk:
        raise NotAllowed(_("Seul l'auteur ou l'autrice invite des co-auteurs."))
    coauthor, _created = CoAuthor.objects.get_or_create(proposal=proposal, email=email.lower())
    from essaim.consultations import tasks

    transaction.on_commit(lambda: tasks.send_coauthor_invitation.enqueue(coauthor_id=coauthor.pk))
    return coauthor


# --- comments ----------------------------------------------------------------------------


def add_comment(*, proposal: Proposal, author, body: str, parent: Comment | None = None):
    """A comment (or a reply, three levels deep at most) on a public proposal. Published at
    once (the author's address is verified) unless the consultation pre-moderates comments,
    in which case it waits in the moderation queue."""
    consultation = proposal.consultation
    if not consultation.accepts_comments:
        raise PhaseClosed(_("La discussion n'est pas ouverte."))
    if not can_participate(consultation, author):
        raise NotAllowed(participation_rule(consultation))
    if parent is not None and parent.depth >= MAX_COMMENT_DEPTH:
        parent = parent.parent  # replies to the deepest level join its thread
    depth = parent.depth + 1 if parent else 1
    with transaction.atomic():
        comment = Comment.objects.create(proposal=proposal, parent=parent, depth=depth,
                                         body=body, submitted_by=author)  # fmt: skip
        if consultation.pre_moderated_comments:
            moderation.submit(obj=comment, by=author)
        else:
            now = timezone.now()
            Comment.objects.filter(pk=comment.pk).update(
                status=Status.PUBLISHED, submitted_at=now, published_at=now
            )
            comment.status, comment.published_at = Status.PUBLISHED, now
            moderation.record_event(obj=comment, action=ModerationEvent.Action.PUBLISHED,
                                    by=author, reason=DIRECT)  # fmt: skip
    return comment


# --- supports ----------------------------------------------------------------------------


def support(*, proposal: Proposal, user) -> Support:
    """One support of ``user`` for a public proposal, during the supports phase, within
    the consultation's maximum per person. The person's row is locked for the count and
    insert (SQLite: IMMEDIATE transactions serialise writers); the unique constraint
    refuses a second support, whatever the timing."""
    consultation = proposal.consultation
    if not consultation.accepts_supports:
        raise PhaseClosed(_("La phase des soutiens n'est pas ouverte."))
    if not can_participate(consultation, user):
        raise NotAllowed(participation_rule(consultation))
    if not proposal.is_public:
        raise NotAllowed(_("Cette proposition n'est pas publiée."))
    try:
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            mine = Support.objects.select_for_update().filter(
                user=user, proposal__consultation=consultation
            )
            used = list(mine.values_list("proposal_id", flat=True))
            if proposal.pk in used:
                raise AlreadySupported(_("Vous soutenez déjà cette proposition."))
            if consultation.max_supports and len(used) >= consultation.max_supports:
                raise SupportLimitReached(
                    _("Vous avez déjà utilisé vos %(max)d soutiens : retirez-en un pour "
                      "soutenir cette proposition.") % {"max": consultation.max_supports}
                )  # fmt: skip
            created = Support.objects.create(proposal=proposal, user=user)
            discard_pending_edits(proposal)
            return created
    except IntegrityError:
        raise AlreadySupported(_("Vous soutenez déjà cette proposition.")) from None


def discard_pending_edits(proposal: Proposal) -> int:
    """Refuse the edits still awaiting moderation of a proposal that is now supported or
    locked: a moderator can no longer change a text people support. Mails their authors."""
    from essaim.moderation.models import PendingVersion

    waiting = PendingVersion.for_object(proposal).filter(state=PendingVersion.State.PENDING)
    for version in waiting:
        moderation.reject_edit(version=version, by=None, reason=LOCKED_REASON)
    return len(waiting)


def withdraw_support(*, proposal: Proposal, user) -> bool:
    """Withdraw ``user``'s support, during the supports phase only."""
    if not proposal.consultation.accepts_supports:
        raise PhaseClosed(_("La phase des soutiens est terminée : les soutiens sont figés."))
    deleted, _rows = Support.objects.filter(proposal=proposal, user=user).delete()
    return bool(deleted)


# --- answers -----------------------------------------------------------------------------


def answer(*, proposal: Proposal, by, state: str, text: str) -> Proposal:
    """The organiser's official answer; its author, co-authors and supporters are mailed."""
    if not is_organiser(proposal.consultation, by):
        raise NotAllowed(_("Seule l'équipe organisatrice répond aux propositions."))
    proposal.answer_state, proposal.answer_text = state, text
    proposal.answered_at, proposal.answered_by = timezone.now(), by
    with transaction.atomic():
        proposal.save(update_fields=["answer_state", "answer_text", "answered_at",
                                     "answered_by", "updated_at"])  # fmt: skip
    from essaim.consultations import tasks

    transaction.on_commit(lambda: tasks.notify_answer.enqueue(proposal_id=proposal.pk))
    return proposal


def answer_recipients(proposal: Proposal) -> list[str]:
    """Author, co-authors and supporters, each address once."""
    emails = {proposal.contributor_email} if proposal.contributor_email else set()
    emails |= set(proposal.coauthors.values_list("email", flat=True))
    emails |= set(proposal.supports.exclude(user__email="").values_list("user__email", flat=True))
    return sorted(e for e in emails if e)


# --- follows and phase notifications -----------------------------------------------------


def follow(*, consultation: Consultation, user) -> None:
    Follow.objects.get_or_create(consultation=consultation, user=user)


def unfollow(*, consultation: Consultation, user) -> None:
    Follow.objects.filter(consultation=consultation, user=user).delete()


def detect_phase_changes(now=None) -> list[int]:
    """Mark each published consultation whose phase changed since the last run, and mail
    its followers once (a conditional update: two workers never both claim a change).
    Returns the consultations announced."""
    from essaim.consultations import tasks

    now = now or timezone.now()
    announced = []
    for consultation in Consultation.objects.public().exclude(notified_phase=Phase.CLOSED):
        phase = consultation.phase_at(now)
        if phase == consultation.notified_phase or phase == Phase.COMING:
            continue
        claimed = Consultation.objects.filter(
            pk=consultation.pk, notified_phase=consultation.notified_phase
        ).update(notified_phase=phase)
        if claimed:
            announced.append(consultation.pk)
            if phase == Phase.SUPPORTS:
                for proposal in consultation.proposals.filter(status=Status.PUBLISHED):
                    discard_pending_edits(proposal)
            transaction.on_commit(
                lambda pk=consultation.pk, p=phase: tasks.notify_followers.enqueue(
                    consultation_id=pk, phase=p
                )
            )
    return announced
