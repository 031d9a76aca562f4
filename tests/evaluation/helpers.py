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
