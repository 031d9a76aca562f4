"""Writes of the evaluation module: projects and their team, assessments, answers,
consolidation, progress plans, campaigns, grid versions."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from essaim.common.mail import send_mail_template
from essaim.evaluation import scoring
from essaim.evaluation.models import (
    LEVEL_FIELDS,
    Action,
    Answer,
    Assessment,
    Axis,
    Campaign,
    ConsolidatedAnswer,
    Criterion,
    GridVersion,
    Invitation,
    Project,
    ProjectMember,
    Question,
    Role,
)


def unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "projet"
    slug, n = base, 1
    while Project.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_project(*, name: str, by, description: str = "", subject=None, theme=None,
                   commune=None) -> Project:  # fmt: skip
    """A project with ``by`` as its lead; theme and commune default to the subject's."""
    from django.contrib.contenttypes.models import ContentType

    project = Project(name=name, slug=unique_slug(name), description=description,
                      theme=theme, commune=commune)  # fmt: skip
    if subject is not None:
        project.subject_type = ContentType.objects.get_for_model(subject)
        project.subject_id = subject.pk
        project.commune = commune or getattr(subject, "commune", None)
        if theme is None and hasattr(subject, "themes"):
            project.theme = subject.themes.order_by("position", "pk").first()
    project.full_clean()
    project.save()
    ProjectMember.objects.create(project=project, user=by, role=Role.LEAD)
    return project


def is_lead(project: Project, user) -> bool:
    return user.is_authenticated and (
        user.is_staff or project.members.filter(user=user, role=Role.LEAD).exists()
    )


def invite(*, project: Project, email: str, by, accept_url: str) -> Invitation:
    """Create an invitation and e-mail its link (``accept_url`` gets the token appended)."""
    invitation = Invitation.objects.create(project=project, email=email, invited_by=by)
    send_mail_template(
        "evaluation/email/invitation.txt",
        {"project": project, "by": by, "url": accept_url + invitation.token + "/"},
        to=email,
    )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> ProjectMember:
    """Join the project (once); the invitation is spent."""
    member, _created = ProjectMember.objects.get_or_create(
        project=invitation.project, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return member


def start_assessment(*, project: Project, version: GridVersion, title: str, by,
                     campaign: Campaign | None = None, started_on=None) -> Assessment:  # fmt: skip
    """A new assessment, pinned to ``version`` (which is frozen from now on)."""
    return Assessment.objects.create(
        project=project, version=version, title=title, campaign=campaign,
        started_on=started_on or timezone.localdate(),
    )  # fmt: skip


def join_campaign(*, campaign: Campaign, project: Project, by) -> Assessment:
    existing = project.assessments.filter(campaign=campaign).first()
    if existing:
        return existing
    return start_assessment(project=project, version=campaign.version, title=campaign.title,
                            by=by, campaign=campaign)  # fmt: skip


def save_answer(*, assessment: Assessment, respondent, criterion: Criterion,
                level: int | None, not_applicable: bool = False, comment: str = "",
                evidence_url: str = "") -> Answer:  # fmt: skip
    """Store one respondent's private answer (N/A wins over a level)."""
    answer, _created = Answer.objects.update_or_create(
        assessment=assessment, respondent=respondent, criterion=criterion,
        defaults={"level": None if not_applicable else level, "not_applicable": not_applicable,
                  "comment": comment, "evidence_url": evidence_url},
    )  # fmt: skip
    return answer


def proposed_consolidation(assessment: Assessment) -> dict[int, dict]:
    """criterion id → the lead's form defaults: the respondents' rounded median; N/A when
    everyone who answered said N/A; the level already consolidated when there is one."""
    rows: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(assessment=assessment):
        rows.setdefault(answer.criterion_id, []).append(answer)
    proposed = {}
    for criterion_id, answers in rows.items():
        levels = [a.level for a in answers if a.level is not None]
        proposed[criterion_id] = {"level": scoring.rounded_median(levels),
                                  "not_applicable": not levels, "comment": ""}  # fmt: skip
    for done in ConsolidatedAnswer.objects.filter(assessment=assessment):
        proposed[done.criterion_id] = {"level": done.level, "comment": done.comment,
                                       "not_applicable": done.not_applicable}  # fmt: skip
    return proposed


@transaction.atomic
def consolidate(*, assessment: Assessment, values: dict[int, dict], by) -> None:
    """Set the team's level of each criterion (``values``: criterion id → level,
    not_applicable, comment) and mark the assessment consolidated."""
    for criterion_id, value in values.items():
        na = bool(value.get("not_applicable"))
        ConsolidatedAnswer.objects.update_or_create(
            assessment=assessment, criterion_id=criterion_id,
            defaults={"level": None if na else value.get("level"), "not_applicable": na,
                      "comment": value.get("comment", "")},
        )  # fmt: skip
    assessment.status = Assessment.Status.CONSOLIDATED
    assessment.consolidated_at = timezone.now()
    assessment.save(update_fields=["status", "consolidated_at"])


def add_action(*, project: Project, title: str, by, assessment=None, criterion=None,
               owner=None, due_on=None) -> Action:  # fmt: skip
    return Action.objects.create(project=project, title=title, assessment=assessment,
                                 criterion=criterion, owner=owner, due_on=due_on)  # fmt: skip


def set_action_status(*, action: Action, status: str, by) -> Action:
    action.status = status
    action.done_at = timezone.now() if status == Action.Status.DONE else None
    action.save(update_fields=["status", "done_at"])
    return action


@transaction.atomic
def new_version(version: GridVersion, notes: str = "") -> GridVersion:
    """A copy of ``version`` as the grid's next version, free to edit."""
    last = version.grid.versions.order_by("-number").first()
    copy = GridVersion.objects.create(grid=version.grid, number=last.number + 1, notes=notes)
    for axis in version.axes.order_by("position", "pk"):
        new_axis = Axis.objects.create(version=copy, position=axis.position, code=axis.code,
                                       name=axis.name, description=axis.description,
                                       weight=axis.weight)  # fmt: skip
        for criterion in axis.criteria.order_by("position", "pk"):
            fields = {f: getattr(criterion, f) for f in LEVEL_FIELDS}
            new = Criterion.objects.create(
                axis=new_axis, position=criterion.position, code=criterion.code,
                name=criterion.name, description=criterion.description, core=criterion.core,
                weight=criterion.weight, allows_not_applicable=criterion.allows_not_applicable,
                **fields,
            )  # fmt: skip
            Question.objects.bulk_create([Question(criterion=new, position=q.position, text=q.text)
                                          for q in criterion.questions.all()])  # fmt: skip
    return copy
