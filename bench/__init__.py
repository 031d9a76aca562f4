"""Benchmarks: figures, not tests. ``make bench`` runs every ``bench/bench_*.py``."""
