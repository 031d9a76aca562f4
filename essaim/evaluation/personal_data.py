"""What the evaluation module holds about a person, for the account's data download."""

from essaim.evaluation.models import Answer, ProjectMember


def collect(user) -> dict:
    memberships = ProjectMember.objects.filter(user=user).select_related("project")
    answers = (Answer.objects.filter(respondent=user)
               .select_related("assessment__project", "criterion").order_by("pk"))  # fmt: skip
    return {
        "projets": [{"projet": m.project.name, "rôle": m.role} for m in memberships],
        "réponses": [
            {"projet": a.assessment.project.name, "évaluation": a.assessment.title,
             "critère": a.criterion.name, "niveau": a.level, "sans_objet": a.not_applicable,
             "commentaire": a.comment, "preuve": a.evidence_url}
            for a in answers
        ],
    }  # fmt: skip


def remove_contributions(user) -> int:
    """Account deletion, "remove my contributions": their private answers (deleted with the
    account in any case). The team's consolidated levels and progress plan stay."""
    return Answer.objects.filter(respondent=user).delete()[0]
