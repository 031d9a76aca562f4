from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Self-assessment: versioned grids, team assessments, radar charts, progress plans,
    network campaigns with anonymised aggregates."""

    name = "essaim.evaluation"
    label = "evaluation"
    verbose_name = _("Évaluation et amélioration continue")

    def ready(self):
        from essaim.accounts.services import (
            register_contribution_remover,
            register_personal_data,
        )
        from essaim.evaluation import personal_data, subjects
        from essaim.initiatives.models import Initiative

        register_personal_data("evaluation", personal_data.collect)

        register_contribution_remover("evaluation", personal_data.remove_contributions)
        subjects.register(Initiative)
