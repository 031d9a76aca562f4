"""An assessment as CSV, for its team: one row per criterion with the consolidated (or
provisional) level, the respondents' spread, the comment and the axis score."""

from collections.abc import Iterator

from essaim.common import exports
from essaim.evaluation.results import Results

COLUMNS = ("axe", "score_axe", "code", "critere", "niveau", "sans_objet", "reponses",
           "ecart", "commentaire", "provisoire")  # fmt: skip


def assessment_rows(found: Results) -> Iterator[dict]:
    for axis in found.axes:
        for row in axis.rows:
            yield {"axe": axis.axis.name, "score_axe": axis.score, "code": row.criterion.code,
                   "critere": row.criterion.name, "niveau": row.level,
                   "sans_objet": row.not_applicable, "reponses": row.respondents,
                   "ecart": row.gap, "commentaire": row.comment,
                   "provisoire": found.provisional}  # fmt: skip


def assessment_lines(found: Results) -> Iterator[str]:
    return exports.csv_lines(COLUMNS, assessment_rows(found))
