"""An assessment's results read from the database: per-criterion rows, axis scores, gaps
between respondents, completeness; and a project's assessments side by side (progress).

Before the lead consolidates, the results are provisional: each criterion takes the
respondents' rounded median (what consolidation proposes by default).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from essaim.evaluation import scoring
from essaim.evaluation.models import Answer, Assessment, Axis, ConsolidatedAnswer, Criterion


@dataclass
class CriterionRow:
    criterion: Criterion
    level: int | None
    not_applicable: bool
    comment: str
    respondents: list[int] = field(default_factory=list)  # levels given, N/A left out

    @property
    def gap(self) -> bool:
        return scoring.has_gap(self.respondents)

    @property
    def spread(self) -> str:
        return f"{min(self.respondents)}–{max(self.respondents)}" if self.respondents else ""


@dataclass
class AxisResult:
    axis: Axis
    rows: list[CriterionRow]

    @property
    def levels(self) -> list[scoring.Level]:
        return [scoring.Level(r.criterion.pk, None if r.not_applicable else r.level,
                              r.criterion.weight) for r in self.rows]  # fmt: skip

    @property
    def score(self) -> float | None:
        return scoring.axis_score(self.levels)


@dataclass
class Results:
    assessment: Assessment
    axes: list[AxisResult]
    respondent_count: int
    provisional: bool  # not consolidated yet: levels are the respondents' medians

    @property
    def completeness(self) -> int:
        return scoring.completeness([level for axis in self.axes for level in axis.levels])

    @property
    def gaps(self) -> list[CriterionRow]:
        return [row for axis in self.axes for row in axis.rows if row.gap]

    @property
    def rows(self) -> list[CriterionRow]:
        return [row for axis in self.axes for row in axis.rows]

    def scores(self) -> list[tuple[str, float | None]]:
        return [(axis.axis.name, axis.score) for axis in self.axes]


def grid_axes(version_id: int) -> list[Axis]:
    """The version's axes with their criteria, in order (two queries)."""
    from django.db.models import Prefetch

    criteria = Prefetch("criteria", Criterion.objects.order_by("position", "pk"))
    return list(Axis.objects.filter(version_id=version_id).order_by("position", "pk")
                .prefetch_related(criteria))  # fmt: skip


def respondent_levels(assessment: Assessment) -> tuple[dict[int, list[int]], int]:
    """criterion id → levels the respondents gave; and how many people answered."""
    levels: dict[int, list[int]] = defaultdict(list)
    people = set()
    for criterion_id, level, user_id in Answer.objects.filter(assessment=assessment).values_list(
        "criterion_id", "level", "respondent_id"
    ):
        people.add(user_id)
        if level is not None:
            levels[criterion_id].append(level)
    return levels, len(people)


def results(assessment: Assessment, axes: list[Axis] | None = None) -> Results:
    axes = axes if axes is not None else grid_axes(assessment.version_id)
    given, people = respondent_levels(assessment)
    consolidated = {c.criterion_id: c for c in ConsolidatedAnswer.objects.filter(
        assessment=assessment)} if assessment.is_consolidated else {}  # fmt: skip
    out = []
    for axis in axes:
        rows = []
        for criterion in axis.criteria.all():
            found = consolidated.get(criterion.pk)
            if found is not None:
                row = CriterionRow(criterion, found.level, found.not_applicable, found.comment)
            else:
                median = scoring.rounded_median(given.get(criterion.pk, []))
                row = CriterionRow(criterion, median, False, "")
            row.respondents = sorted(given.get(criterion.pk, []))
            rows.append(row)
        out.append(AxisResult(axis, rows))
    return Results(assessment, out, people, not assessment.is_consolidated)


def progress(assessments: list[Assessment]) -> list[Results]:
    """Each assessment's results, oldest first (one grid query per version)."""
    cache: dict[int, list[Axis]] = {}
    out = []
    for assessment in sorted(assessments, key=lambda a: (a.started_on, a.pk)):
        if assessment.version_id not in cache:
            cache[assessment.version_id] = grid_axes(assessment.version_id)
        out.append(results(assessment, cache[assessment.version_id]))
    return out


def evolution(series: list[Results]) -> list[dict]:
    """Per axis (by code, so that versions of one grid line up): its score per assessment."""
    codes: dict[str, str] = {}
    for item in series:
        for axis in item.axes:
            codes.setdefault(axis.axis.code, axis.axis.name)
    table = []
    for code, name in codes.items():
        scores = []
        for item in series:
            found = next((a.score for a in item.axes if a.axis.code == code), None)
            scores.append(found)
        table.append({"code": code, "name": name, "scores": scores})
    return table
