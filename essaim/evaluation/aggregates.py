"""Anonymised campaign aggregates: quartiles of axis scores and core-criterion levels over
the projects that consolidated an assessment in a campaign, overall and by theme and
territory (département). A group is shown only when at least
``ESSAIM_EVALUATION_MIN_GROUP`` projects are in it: a smaller one could single a project
out. No project's name, number or answer ever leaves this module.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from essaim.common import exports
from essaim.evaluation import scoring
from essaim.evaluation.models import Assessment, Axis, Campaign, ConsolidatedAnswer, Criterion


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    count: int  # projects with a value
    q1: float
    median: float
    q3: float


@dataclass
class Group:
    kind: str  # "ensemble", "theme", "territoire"
    label: str
    projects: int
    axes: list[Figure]
    core: list[Figure]


def _project_values(campaign: Campaign) -> list[dict]:
    """One dict per project (its latest consolidated assessment in the campaign): theme,
    département, axis scores by code, core levels by code."""
    assessments = (
        Assessment.objects.filter(campaign=campaign, status=Assessment.Status.CONSOLIDATED)
        .select_related("project__theme", "project__commune__departement")
        .order_by("project_id", "-started_on", "-pk")
    )
    latest = {}
    for assessment in assessments:
        latest.setdefault(assessment.project_id, assessment)
    answers = defaultdict(list)
    rows = ConsolidatedAnswer.objects.filter(assessment__in=list(latest.values())).values_list(
        "assessment_id",
        "criterion_id",
        "level",
        "criterion__weight",
        "criterion__axis__code",
        "criterion__code",
        "criterion__core",
    )
    for assessment_id, *row in rows:
        answers[assessment_id].append(row)
    values = []
    for assessment in latest.values():
        by_axis = defaultdict(list)
        core = {}
        for criterion_id, level, weight, axis_code, code, is_core in answers[assessment.pk]:
            by_axis[axis_code].append(scoring.Level(criterion_id, level, weight))
            if is_core and level is not None:
                core[code] = level
        project = assessment.project
        values.append(
            {
                "theme": project.theme.name if project.theme_id else None,
                "territory": project.commune.departement.name
                if project.commune_id and project.commune.departement_id
                else None,
                "axes": {code: scoring.axis_score(levels) for code, levels in by_axis.items()},
                "core": core,
            }
        )
    return values


def _figures(items: list[tuple[str, str]], projects: list[dict], key: str) -> list[Figure]:
    figures = []
    for code, name in items:
        found = [p[key][code] for p in projects if p[key].get(code) is not None]
        if len(found) >= settings.ESSAIM_EVALUATION_MIN_GROUP:
            figures.append(Figure(code, name, len(found), *scoring.quartiles(sorted(found))))
    return figures


def campaign_aggregates(campaign: Campaign) -> dict:
    """{"projects": how many answered, "groups": [Group…]} — groups below the threshold
    are left out entirely (their count too)."""
    projects = _project_values(campaign)
    axes = list(
        Axis.objects.filter(version_id=campaign.version_id)
        .order_by("position", "pk")
        .values_list("code", "name")
    )
    core = list(
        Criterion.objects.filter(axis__version_id=campaign.version_id, core=True)
        .order_by("axis__position", "position")
        .values_list("code", "name")
    )
    minimum = settings.ESSAIM_EVALUATION_MIN_GROUP
    candidates = [("ensemble", _("Tous les projets"), projects)]
    for kind, field in (("theme", "theme"), ("territoire", "territory")):
        split = defaultdict(list)
        for project in projects:
            if project[field]:
                split[project[field]].append(project)
        candidates += [(kind, label, members) for label, members in sorted(split.items())]
    groups = [
        Group(
            kind,
            label,
            len(members),
            _figures(axes, members, "axes"),
            _figures(core, members, "core"),
        )
        for kind, label, members in candidates
        if len(members) >= minimum
    ]
    return {"projects": len(projects) if len(projects) >= minimum else None, "groups": groups}


COLUMNS = (
    "campagne",
    "groupe_type",
    "groupe",
    "projets",
    "indicateur_type",
    "code",
    "indicateur",
    "premier_quartile",
    "mediane",
    "troisieme_quartile",
    "url",
)


def rows(base_url: str) -> Iterator[dict]:
    for campaign in Campaign.objects.public().order_by("opens_on", "pk"):
        found = campaign_aggregates(campaign)
        for group in found["groups"]:
            for kind, figures in (("axe", group.axes), ("critere", group.core)):
                for figure in figures:
                    yield {
                        "campagne": campaign.slug,
                        "groupe_type": group.kind,
                        "groupe": group.label,
                        "projets": figure.count,
                        "indicateur_type": kind,
                        "code": figure.code,
                        "indicateur": figure.name,
                        "premier_quartile": figure.q1,
                        "mediane": figure.median,
                        "troisieme_quartile": figure.q3,
                        "url": base_url + campaign.get_absolute_url(),
                    }


def csv_lines(base_url: str = "") -> Iterator[str]:
    return exports.csv_lines(COLUMNS, rows(base_url))
