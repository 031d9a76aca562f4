"""``essaim rebuild-map``: recompute the map's points and clusters from the initiatives.

For large batches (imports) and after theme-tree changes; idempotent.
"""

import time

from django.core.management.base import BaseCommand

from essaim.initiatives import clustering


class Command(BaseCommand):
    help = "Recompute the map's projected points and pre-aggregated clusters."

    def handle(self, *args, **options):
        start = time.perf_counter()
        count = clustering.rebuild(progress=self.progress)
        elapsed = time.perf_counter() - start
        self.stdout.write(f"{count} initiatives on the map, rebuilt in {elapsed:.1f} s.")

    def progress(self, done: int) -> None:
        if done % 100_000 == 0:
            self.stderr.write(f"… {done} points")
