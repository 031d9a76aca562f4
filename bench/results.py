"""The shape of a benchmark figure and the helpers every benchmark uses."""

import json
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = False

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    @property
    def ratio(self) -> float | None:
        if not self.target:
            return None
        return self.value / self.target

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("higher_is_better")
        data["met"] = self.met
        return data

    def line(self) -> str:
        target = "" if self.target is None else f"  target {self.target:g} {self.unit}"
        ratio = "" if self.ratio is None else f"  ratio {self.ratio:.2f}"
        met = {True: "  met", False: "  NOT MET", None: ""}[self.met]
        return f"{self.name:<55} {self.value:>10.2f} {self.unit:<6}{target}{ratio}{met}"


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def timed_ms(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict:
    return {"median": statistics.median(samples), "p95": percentile(samples, 95)}


def write_results(figures: list[Figure], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([f.as_dict() for f in figures], indent=2, ensure_ascii=False))
