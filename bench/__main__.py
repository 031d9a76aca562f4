"""Run the benchmarks: ``make bench`` (or ``python -m bench [name…]``).

Each ``bench/bench_<name>.py`` has ``run() -> list[Figure]``. Results are printed and written
to ``var/bench/results.json`` as a list of ``{name, value, unit, target, met}``.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(selected: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    from bench.results import write_results

    figures = []
    for module_info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        name = module_info.name
        if not name.startswith("bench_") or (selected and name[6:] not in selected):
            continue
        print(f"== {name[6:]}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        for figure in module.run():
            figure.name = f"[{connection.vendor}] {figure.name}"
            print(figure.line(), flush=True)
            figures.append(figure)
    write_results(figures, ROOT / "var" / "bench" / "results.json")
    print(f"\n{len(figures)} figures written to var/bench/results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
