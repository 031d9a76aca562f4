"""Configuration is read from the environment; a bad value stops start-up naming it."""

import os
import secrets
import subprocess
import sys

import pytest

PRODUCTION = {
    "ESSAIM_DEBUG": "0",
    "ESSAIM_SECRET_KEY": secrets.token_urlsafe(50),
    "ESSAIM_ALLOWED_HOSTS": "essaim.example.org",
}


def run_essaim(*args: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ESSAIM_", "DJANGO_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    clean["ESSAIM_DATA_DIR"] = str(tmp_path)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "essaim", *args],
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("ESSAIM_DEBUG", "maybe", "ESSAIM_DEBUG='maybe'"),
        ("ESSAIM_REGION", "centre", "ESSAIM_REGION='centre'"),
        ("ESSAIM_HSTS_SECONDS", "a year", "ESSAIM_HSTS_SECONDS='a year'"),
        ("DATABASE_URL", "nosuchdb://user:secret@host/db", "DATABASE_URL: not a usable URL"),
        ("ESSAIM_EMAIL_URL", "pigeon://coop", "ESSAIM_EMAIL_URL: not a usable URL"),
        ("ESSAIM_LOG_FORMAT", "xml", "ESSAIM_LOG_FORMAT='xml': expected one of json, plain"),
        ("ESSAIM_ADDRESS_HASH_DAYS", "0", "ESSAIM_ADDRESS_HASH_DAYS=0: expected at least 1"),
        ("ESSAIM_PAGE_CACHE_SECONDS", "60", "ESSAIM_PAGE_CACHE_SECONDS=60: needs REDIS_URL"),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(tmp_path, variable, value, expected):
    result = run_essaim("check", tmp_path=tmp_path, **{**PRODUCTION, variable: value})
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_database_password_is_never_echoed(tmp_path):
    result = run_essaim(
        "check", tmp_path=tmp_path, **PRODUCTION, DATABASE_URL="nosuchdb://u:hunter2@h/db"
    )
    assert "hunter2" not in result.stderr


def test_production_requires_a_secret_key(tmp_path):
    result = run_essaim("check", tmp_path=tmp_path, ESSAIM_DEBUG="0")
    assert result.returncode == 2
    assert "ESSAIM_SECRET_KEY is not set" in result.stderr


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = run_essaim(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_is_configured_for_concurrent_writers():
    from django.conf import settings

    from essaim.settings import sqlite_database

    options = sqlite_database(settings.DATA_DIR / "x.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_redis_url_switches_the_cache_to_redis(tmp_path):
    script = (
        "from django.core.cache import caches; cache = caches['default']; "
        "cache.set('essaim-probe', 42); "
        "from django.conf import settings; "
        "print(type(cache).__name__, cache.get('essaim-probe'), settings.ESSAIM_PAGE_CACHE_SECONDS)"
    )
    result = run_essaim(
        "shell",
        "-c",
        script,
        tmp_path=tmp_path,
        **PRODUCTION,
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert result.returncode == 0, result.stderr
    # shared by every process, the cache can keep anonymous pages whole (one minute)
    assert result.stdout.strip().splitlines()[-1].split() == ["RedisCache", "42", "300"]
