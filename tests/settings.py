"""Test settings: Essaim's settings with fast hashing, in-memory mail and immediate tasks."""

import os

os.environ.setdefault("ESSAIM_DEBUG", "0")
os.environ.setdefault("ESSAIM_SECRET_KEY", "essaim-tests-only")
os.environ.setdefault("ESSAIM_SSL_REDIRECT", "0")

from essaim.settings import *  # noqa: E402,F403 (the test settings extend the real ones)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]
# Test-only models that exercise shared mechanisms (moderation, search) without a module.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
# The suite makes thousands of API requests from one address within a minute; the access
# tests (tests/api/test_access.py) set the limit they check.
ESSAIM_API_RATE_LIMIT = 0
# Whole-page caching is tested where it is the subject (tests/common/test_pagecache.py);
# elsewhere a test reads its own writes, including those made without signals.
ESSAIM_PAGE_CACHE_SECONDS = 0
