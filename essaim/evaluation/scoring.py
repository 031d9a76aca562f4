"""Numbers of an assessment, as plain functions over plain values.

- axis score = weighted mean of the answered criteria's levels × 25 (0–100); "not
  applicable" and unanswered criteria are left out (N/A is not 0);
- completeness = share of criteria answered with a level (not N/A, not blank);
- consolidation default = the respondents' median level, rounded half up;
- gaps = criteria where respondents' levels differ by 2 or more.
"""

import math
import statistics
from dataclasses import dataclass
from decimal import Decimal

SCALE = 25  # level 4 → 100
GAP = 2


@dataclass(frozen=True)
class Level:
    """One criterion's answer, as scoring needs it."""

    criterion_id: int
    level: int | None  # None: N/A or not answered
    weight: Decimal = Decimal(1)


def weighted_mean(levels: list[Level]) -> float | None:
    answered = [item for item in levels if item.level is not None]
    total = sum((item.weight for item in answered), Decimal(0))
    if not answered or not total:
        return None
    return float(sum((item.weight * item.level for item in answered), Decimal(0)) / total)


def axis_score(levels: list[Level]) -> float | None:
    """0–100, one decimal; None when no criterion of the axis has a level."""
    mean = weighted_mean(levels)
    return None if mean is None else round(mean * SCALE, 1)


def completeness(levels: list[Level]) -> int:
    """Percentage of criteria with a level (N/A and blanks are not)."""
    if not levels:
        return 0
    return round(100 * sum(item.level is not None for item in levels) / len(levels))


def rounded_median(values: list[int]) -> int | None:
    if not values:
        return None
    return math.floor(statistics.median(values) + 0.5)


def has_gap(values: list[int]) -> bool:
    return len(values) > 1 and max(values) - min(values) >= GAP


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """(first quartile, median, third quartile), inclusive method (no extrapolation)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return round(q1, 1), round(median, 1), round(q3, 1)
