"""Benchmark settings: production-like (no debug), data under var/bench/."""

import os
from pathlib import Path

os.environ.setdefault("ESSAIM_DEBUG", "0")
os.environ.setdefault("ESSAIM_SECRET_KEY", "essaim-bench-only")
os.environ.setdefault("ESSAIM_SSL_REDIRECT", "0")
# Server-time figures are of the page being built; benchmarks of the whole-page cache set
# ESSAIM_PAGE_CACHE_SECONDS themselves.
os.environ.setdefault("ESSAIM_PAGE_CACHE_SECONDS", "0")
# In-process benchmarks play every visitor from one address: the per-address API limit
# would answer 429 within a minute (the soak's server keeps it, with visitors spread out).
os.environ.setdefault("ESSAIM_API_RATE_LIMIT", "0")
os.environ.setdefault(
    "ESSAIM_DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench")
)

from essaim.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["*"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic before a benchmark: serve static names unhashed, as in tests.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
