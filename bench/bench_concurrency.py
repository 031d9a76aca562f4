"""20 concurrent writers for 60 s (proposals, votes, registrations): throughput and errors.

On the bench database (file SQLite under var/bench/, or PostgreSQL with DATABASE_URL).
The scenario and its checks are in bench/concurrency.py; correctness is asserted by
tests/hardening/test_concurrency.py, this only measures.
"""

from bench.concurrency import WRITERS, hammer, quiet_mail
from bench.harness import migrated_database
from bench.results import Figure

SECONDS = 60


def run() -> list[Figure]:
    migrated_database()
    quiet_mail()
    report = hammer(seconds=SECONDS, writers=WRITERS)
    for kind, count in sorted(report.errors.items()):
        print(f"   error {kind}: {count}")
    for problem in report.problems:
        print(f"   PROBLEM {problem}")
    for sample in report.samples[:2]:
        print("   " + sample.replace("\n", "\n   "))
    figures = [
        Figure(f"concurrency: {WRITERS} writers, writes per second", report.throughput, "w/s",
               higher_is_better=True),
        Figure("concurrency: 'database is locked' errors", report.locked, "", target=0),
        Figure("concurrency: other errors", sum(report.errors.values()) - report.locked, "",
               target=0),
        Figure("concurrency: lost or double writes", len(report.problems), "", target=0),
    ]  # fmt: skip
    figures += [
        Figure(f"concurrency: {kind} done", n, "") for kind, n in sorted(report.done.items())
    ]
    figures += [Figure(f"concurrency: {kind} refused as meant", n, "")
                for kind, n in sorted(report.refused.items())]  # fmt: skip
    return figures
