"""Writing answers and consolidating through services, for tests that need results."""

from essaim.evaluation import services


def answer_all(assessment, user, levels: dict[str, int | None]) -> None:
    """``levels``: criterion code → level (None = N/A)."""
    for criterion in assessment.version.criteria():
        if criterion.code in levels:
            level = levels[criterion.code]
            services.save_answer(
                assessment=assessment,
                respondent=user,
                criterion=criterion,
                level=level,
                not_applicable=level is None,
            )


def consolidate_with(assessment, levels: dict[str, int | None], by) -> None:
    values = {
        c.pk: {"level": levels.get(c.code), "not_applicable": levels.get(c.code) is None}
        for c in assessment.version.criteria()
    }
    services.consolidate(assessment=assessment, values=values, by=by)


def campaign_with_answers(count: int, slug: str = "campagne-test", levels=None):
    """An open campaign on a fresh small grid where ``count`` projects consolidated."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from essaim.evaluation.models import Campaign
    from tests.evaluation.conftest import make_project, make_version

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug=slug, title=f"Campagne {slug}", version=make_version(f"grille-{slug}"),
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30),
    )  # fmt: skip
    for n in range(count):
        lead = get_user_model().objects.create_user(email=f"{slug}-{n}@example.org")
        project = make_project(f"Projet {slug} {n}", lead)
        assessment = services.join_campaign(campaign=campaign, project=project, by=lead)
        found = levels or {"c11": n % 5, "c12": 2, "c21": 4, "c22": None}
        answer_all(assessment, lead, found)
        consolidate_with(assessment, found, by=lead)
    return campaign
