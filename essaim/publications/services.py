"""Contributions from the front end, generic over the page type and its parent: a member
proposes a page, it goes through the parent's Wagtail workflow, the author edits and
resubmits when editors ask for changes. Experiences reuse these after the merge.

Also: pushing a veille pick into a dossier.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Page, TaskState, WorkflowState

from essaim.accounts.roles import Role, has_role
from essaim.publications.models import RESERVED_ARTICLE_SLUGS as RESERVED_SLUGS

PROPOSER_ROLES = (Role.MEMBER, Role.FACILITATOR, Role.EDITOR)
MAX_PROPOSALS_PER_DAY = 10


class ProposalState:
    DRAFT = _("Brouillon")
    IN_REVIEW = _("En relecture")
    NEEDS_CHANGES = _("Modifications demandées")
    SCHEDULED = _("Publication programmée")
    PUBLISHED = _("Publié")


@dataclass
class Proposal:
    page: Page
    state: str
    comments: list[TaskState]

    @property
    def can_edit(self) -> bool:
        return self.state in (ProposalState.NEEDS_CHANGES, ProposalState.DRAFT)


def can_propose(user) -> bool:
    return any(has_role(user, role) for role in PROPOSER_ROLES)


def proposals_today(user) -> int:
    since = timezone.now() - timezone.timedelta(days=1)
    return Page.objects.filter(owner=user, first_published_at__isnull=True,
                               latest_revision_created_at__gte=since).count()  # fmt: skip


@transaction.atomic
def submit_page_proposal(*, parent: Page, page: Page, user) -> Page:
    """Add ``page`` as an unpublished child of ``parent`` owned by ``user``, save its first
    revision and start the parent's workflow. Side effects: Wagtail log entries; editors
    get Wagtail's "submitted" notification."""
    if not can_propose(user):
        raise PermissionDenied
    page.owner = user
    page.live = False
    if not page.slug:
        base = slugify(page.title)[:60] or "page"
        page.slug = find_available_slug(parent, f"{base}-1" if base in RESERVED_SLUGS else base)
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    _quiet_wagtail_rejection_mail(user)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, user)
    return page


@transaction.atomic
def resubmit(*, page: Page, user) -> Page:
    """Save ``page`` (already carrying the author's edits) as a new revision and send it
    back to review. Only its owner may, and only while changes are requested or before
    any review."""
    proposal = proposal_of(page)
    if page.owner_id != user.pk or not proposal.can_edit:
        raise PermissionDenied
    page.save_revision(user=user, log_action=True)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
    elif state is None and (workflow := page.get_workflow()) is not None:
        workflow.start(page, user)
    return page


def _quiet_wagtail_rejection_mail(user) -> None:
    """Front-end authors get our own e-mail (with a link to the front-end form) instead
    of Wagtail's, which points into a back office they cannot open."""
    from wagtail.users.models import UserProfile

    if not user.has_perm("wagtailadmin.access_admin"):
        UserProfile.objects.update_or_create(user=user, defaults={"rejected_notifications": False})


def state_of(page: Page, workflow_state: WorkflowState | None) -> str:
    if page.live:
        return ProposalState.PUBLISHED
    if page.go_live_at and page.go_live_at > timezone.now() or page.approved_schedule:
        return ProposalState.SCHEDULED
    if workflow_state is None:
        return ProposalState.DRAFT
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return ProposalState.NEEDS_CHANGES
    return ProposalState.IN_REVIEW


def proposals_of(user, page_model) -> list[Proposal]:
    """The pages of ``page_model`` that ``user`` owns, newest first, with their state and
    the reviewers' comments (three queries whatever their number)."""
    pages = list(page_model.objects.filter(owner=user).order_by("-latest_revision_created_at",
                                                                "-pk"))  # fmt: skip
    return _with_states(pages)


def proposal_of(page: Page) -> Proposal:
    return _with_states([page])[0]


def _with_states(pages: list[Page]) -> list[Proposal]:
    if not pages:
        return []
    content_type = ContentType.objects.get_for_model(Page)
    ids = [str(page.pk) for page in pages]
    active = {state.object_id: state for state in WorkflowState.objects.active().filter(
        base_content_type=content_type, object_id__in=ids)}  # fmt: skip
    comments: dict[str, list] = {}
    finished = (
        TaskState.objects.filter(workflow_state__base_content_type=content_type,
                                 workflow_state__object_id__in=ids).exclude(comment="")
        .select_related("workflow_state", "finished_by").order_by("-finished_at")
    )  # fmt: skip
    for task_state in finished:
        comments.setdefault(task_state.workflow_state.object_id, []).append(task_state)
    return [Proposal(page=page, state=state_of(page, active.get(str(page.pk))),
                     comments=comments.get(str(page.pk), []))
            for page in pages]  # fmt: skip


def push_pick(*, pick, dossier, user):
    """Show a veille pick in a dossier's "from the watch" section (idempotent)."""
    from essaim.publications.models import DossierPick

    link, _created = DossierPick.objects.get_or_create(
        pick=pick, dossier=dossier, defaults={"pushed_by": user}
    )
    return link
