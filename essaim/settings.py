"""Essaim settings.

The environment is read here and only here. Every variable is documented in
``.env.example``; a bad value stops start-up with a message naming the variable.
"""

import os
import re
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


# --- tiny environment readers: fail loudly, naming the variable -------------------------


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name)
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number.") from None


def env_choice(name: str, default: str, choices: set[str]) -> str:
    raw = env_str(name, default)
    if raw not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected one of {', '.join(sorted(choices))}.")
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, parse, default: str):
    raw = env_str(name, default)
    try:
        parsed = parse(raw)
        if not parsed.get("ENGINE", parsed.get("EMAIL_BACKEND")):
            raise ValueError("unknown scheme")
        return parsed
    except Exception as exc:  # the parsers raise assorted types; all mean "bad URL"
        # The value is not echoed: such URLs carry passwords.
        raise ImproperlyConfigured(f"{name}: not a usable URL ({exc}).") from None


# --- core -------------------------------------------------------------------------------

DEBUG = env_bool("ESSAIM_DEBUG", False)
DATA_DIR = Path(env_str("ESSAIM_DATA_DIR") or BASE_DIR / "var").resolve()

SECRET_KEY = env_str("ESSAIM_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ESSAIM_SECRET_KEY is not set: it is required when ESSAIM_DEBUG is off."
        )
    SECRET_KEY = "essaim-insecure-development-key-never-use-in-production"  # noqa: S105 (debug only)

ALLOWED_HOSTS = env_list("ESSAIM_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("ESSAIM_CSRF_TRUSTED_ORIGINS", [])

ESSAIM_REGION = env_str("ESSAIM_REGION", "24")
if not re.fullmatch(r"\d{2}", ESSAIM_REGION):
    raise ImproperlyConfigured(
        f"ESSAIM_REGION={ESSAIM_REGION!r}: expected the two-digit INSEE code of a région, e.g. 24."
    )
ESSAIM_DEMO = env_bool("ESSAIM_DEMO", True)
ESSAIM_SITE_NAME = env_str("ESSAIM_SITE_NAME", "Essaim")
ESSAIM_TILE_URL = env_str("ESSAIM_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")

INSTALLED_APPS = [
    # Essaim: shared foundations first, then cross-cutting readers.
    "essaim.common",
    "essaim.accounts",
    "essaim.territories",
    "essaim.taxonomy",
    "essaim.moderation",
    # Modules
    "essaim.initiatives",
    "essaim.agenda",
    "essaim.veille",
    "essaim.publications",
    "essaim.experiences",
    "essaim.evaluation",
    "essaim.consultations",
    "essaim.directory",
    "essaim.observatory",
    "essaim.search",
    "essaim.api",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # No "modelsearch" here: "wagtail.search" is its app config; both at once index twice
    # and make modelsearch.conf.get_app_config() fail ("Multiple instances").
    # Accounts
    "allauth",
    "allauth.account",
    # Background jobs
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
]

MIDDLEWARE = [
    "essaim.common.middleware.ForwardedClientAddressMiddleware",
    "essaim.common.middleware.NulCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "essaim.common.pagecache.AnonymousPageCacheMiddleware",
    "essaim.common.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "essaim.common.middleware.AdminContentSecurityPolicyMiddleware",
    "essaim.api.access.ApiAccessMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "essaim.common.middleware.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "essaim.urls"
# Django 6 behaviour now: a web address typed without a scheme is read as https://.
FORMS_URLFIELD_ASSUME_HTTPS = True
WSGI_APPLICATION = "essaim.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "essaim" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "essaim.common.context_processors.site",
            ],
        },
    },
]


# --- storage ----------------------------------------------------------------------------


def sqlite_database(path: Path) -> dict:
    # Options live in OPTIONS, where Django applies them (a top-level timeout is ignored).
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait instead of
    # failing with "database is locked" half-way through a transaction.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": env_url("DATABASE_URL", dj_database_url.parse, _database_url)}
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the one file to back up lives here
    DATABASES = {"default": sqlite_database(DATA_DIR / "essaim.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "essaim.common.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The task queue: Redis when there is one (several workers on several machines), else the
# database. Sessions live in the database, cached in Redis (Redis here keeps nothing on disk).
ESSAIM_TASK_QUEUE = "redis" if REDIS_URL else "database"
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it to exist


def s3_media_storage() -> dict | None:
    """The S3-compatible media storage that ESSAIM_S3_* describe, or None when unset.

    Every uploaded file then lives in the bucket (images, Wagtail images, documents and
    renditions, import files), so that no app server keeps media on its disk.
    """
    s3 = {
        "BUCKET": env_str("ESSAIM_S3_BUCKET"),
        "ENDPOINT_URL": env_str("ESSAIM_S3_ENDPOINT_URL"),
        "REGION": env_str("ESSAIM_S3_REGION"),
        "ACCESS_KEY_ID": env_str("ESSAIM_S3_ACCESS_KEY_ID"),
        "SECRET_ACCESS_KEY": env_str("ESSAIM_S3_SECRET_ACCESS_KEY"),
        "CUSTOM_DOMAIN": env_str("ESSAIM_S3_CUSTOM_DOMAIN"),
    }
    signed = env_bool("ESSAIM_S3_SIGNED_URLS", False)
    if not s3["BUCKET"]:
        if any(s3.values()):
            raise ImproperlyConfigured("ESSAIM_S3_BUCKET is empty but other ESSAIM_S3_* are set.")
        return None
    _check_s3(s3)
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": s3["BUCKET"],
            "endpoint_url": s3["ENDPOINT_URL"] or None,
            "region_name": s3["REGION"] or None,
            # Empty: boto3 finds credentials itself (AWS_* variables, instance role).
            "access_key": s3["ACCESS_KEY_ID"] or None,
            "secret_key": s3["SECRET_ACCESS_KEY"] or None,
            "custom_domain": s3["CUSTOM_DOMAIN"] or None,
            # Public media (published images) are served straight from the bucket (or the
            # CDN in front of it); signed URLs are for buckets that refuse anonymous reads.
            "querystring_auth": signed,
            "querystring_expire": 3600,
            "default_acl": None,  # the bucket's policy decides who reads
            "file_overwrite": False,  # like local storage: a second "photo.jpg" gets a suffix
            "signature_version": "s3v4",
        },
    }


def _check_s3(s3: dict) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", s3["BUCKET"]):
        raise ImproperlyConfigured(
            f"ESSAIM_S3_BUCKET={s3['BUCKET']!r}: expected a bucket name "
            "(3 to 63 lowercase letters, digits, dots and hyphens)."
        )
    if s3["ENDPOINT_URL"] and not re.fullmatch(r"https?://[^/\s]+/?", s3["ENDPOINT_URL"]):
        raise ImproperlyConfigured(
            f"ESSAIM_S3_ENDPOINT_URL={s3['ENDPOINT_URL']!r}: expected the service's base URL, "
            "e.g. https://s3.fr-par.scw.cloud (no bucket, no path)."
        )
    if bool(s3["ACCESS_KEY_ID"]) != bool(s3["SECRET_ACCESS_KEY"]):
        missing = "SECRET_ACCESS_KEY" if s3["ACCESS_KEY_ID"] else "ACCESS_KEY_ID"
        raise ImproperlyConfigured(
            f"ESSAIM_S3_{missing} is empty: the S3 key id and secret go together."
        )
    if "://" in s3["CUSTOM_DOMAIN"]:
        raise ImproperlyConfigured(
            f"ESSAIM_S3_CUSTOM_DOMAIN={s3['CUSTOM_DOMAIN']!r}: expected a host name "
            "without scheme, e.g. medias.example.org."
        )


def media_origins(storage: dict | None) -> list[str]:
    """Where browsers fetch media from, for the CSP's img-src: the site itself, or the
    origin django-storages builds URLs on (CDN domain, endpoint in path style, or AWS)."""
    if not storage:
        return []
    options = storage["OPTIONS"]
    if options["custom_domain"]:
        return [f"https://{options['custom_domain']}"]
    if options["endpoint_url"]:
        return [options["endpoint_url"].rstrip("/")]
    bucket, region = options["bucket_name"], options["region_name"]
    return [f"https://{bucket}.s3.amazonaws.com"] + (
        [f"https://{bucket}.s3.{region}.amazonaws.com"] if region else []
    )


ESSAIM_MEDIA_STORAGE = "s3" if (_s3 := s3_media_storage()) else "local"
if _s3:
    STORAGES["default"] = _s3
# Serve files straight from the finders when no collectstatic has run (make run, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG


# --- e-mail -----------------------------------------------------------------------------

_email = env_url("ESSAIM_EMAIL_URL", dj_email_url.parse, "console://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = env_str("ESSAIM_FROM_EMAIL", "Essaim <ne-pas-repondre@essaim.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


# --- accounts ---------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Login-restricted pages send visitors to the site's sign-in, not Wagtail's own form.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{ESSAIM_SITE_NAME}] "


# --- Wagtail ----------------------------------------------------------------------------

WAGTAIL_SITE_NAME = ESSAIM_SITE_NAME
WAGTAILADMIN_BASE_URL = env_str("ESSAIM_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # "/articles/l-ecole/", not percent-encoded accents
WAGTAIL_ENABLE_UPDATE_CHECK = False  # never phone home
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party request revealing staff e-mails
# French-aware (accents folded, stemmed) on SQLite and PostgreSQL: see essaim/search.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "essaim.search.backends"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"


# --- internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "essaim" / "locale"]


# --- security ---------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # embeds opt out per view; Wagtail previews opt in to SAMEORIGIN
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Behind a proxy (nginx, Caddy, a load balancer): trust its X-Forwarded-Proto and take the
# visitor's address from X-Forwarded-For, ESSAIM_PROXY_HOPS proxies deep (rate limits).
ESSAIM_BEHIND_PROXY = env_bool("ESSAIM_BEHIND_PROXY", False)
ESSAIM_PROXY_HOPS = env_int("ESSAIM_PROXY_HOPS", 1) if ESSAIM_BEHIND_PROXY else 0
if ESSAIM_PROXY_HOPS < 0:
    raise ImproperlyConfigured(f"ESSAIM_PROXY_HOPS={ESSAIM_PROXY_HOPS}: expected 0 or more.")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("ESSAIM_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("ESSAIM_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if ESSAIM_BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Video players articles may frame (no oEmbed fetch: see essaim/publications/video.py).
ESSAIM_PEERTUBE_HOSTS = env_list("ESSAIM_PEERTUBE_HOSTS", ["framatube.org", "tube.aquilenet.fr"])
_video_origins = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"] + [
    f"https://{host}" for host in ESSAIM_PEERTUBE_HOSTS
]

_tile_origin = re.match(r"^(https?://[^/{]+)", ESSAIM_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"]
        + ([_tile_origin.group(1)] if _tile_origin else [])
        + media_origins(_s3),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-src": ["'self'", *_video_origins],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
    }
}
# Wagtail's admin still relies on inline styles and scripts: it gets a relaxed policy
# of its own (see essaim.common.middleware), the public site keeps the strict one.
ESSAIM_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"


# --- logging ----------------------------------------------------------------------------

# `essaim serve` (production): where to listen and how many web worker processes.
ESSAIM_BIND = env_str("ESSAIM_BIND", "127.0.0.1:8000")
ESSAIM_WEB_WORKERS = env_int("ESSAIM_WEB_WORKERS", 0) or 2 * (os.cpu_count() or 1) + 1

# Logs go to the standard error, one line per record; "json" suits log collectors.
ESSAIM_LOG_FORMAT = env_choice("ESSAIM_LOG_FORMAT", "plain", {"plain", "json"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": ESSAIM_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("ESSAIM_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}


# --- moderation -------------------------------------------------------------------------

# Open reports from distinct reporters after which a published item is hidden for review.
ESSAIM_REPORTS_BEFORE_HIDING = env_int("ESSAIM_REPORTS_BEFORE_HIDING", 3)
# Anonymous public forms: minimum fill time, and submissions allowed per address per window.
ESSAIM_ANTISPAM_MIN_SECONDS = env_int("ESSAIM_ANTISPAM_MIN_SECONDS", 3)
ESSAIM_ANTISPAM_RATE_LIMIT = env_int("ESSAIM_ANTISPAM_RATE_LIMIT", 5)
ESSAIM_ANTISPAM_RATE_WINDOW = env_int("ESSAIM_ANTISPAM_RATE_WINDOW", 3600)
# Days the hashed address of an anonymous submission or report is kept (to block it).
ESSAIM_ADDRESS_HASH_DAYS = env_int("ESSAIM_ADDRESS_HASH_DAYS", 30)
if ESSAIM_ADDRESS_HASH_DAYS < 1:
    raise ImproperlyConfigured(
        f"ESSAIM_ADDRESS_HASH_DAYS={ESSAIM_ADDRESS_HASH_DAYS}: expected at least 1 (days)."
    )
# Requests per minute to /api/ for a client without an API key (0: no limit). Keys carry
# their own limit, set in the back office.
ESSAIM_API_RATE_LIMIT = env_int("ESSAIM_API_RATE_LIMIT", 600)

# Seconds an anonymous visitor's page is kept whole (essaim/common/pagecache.py; 0: off).
# Any change to content outdates every kept page at once; this bounds what changes with
# the clock alone (an event that has just ended, a consultation past its closing date:
# its form then refuses supports with a message). Five minutes: a page is then rendered
# at most once in five minutes while nothing changes, whatever the audience. It needs
# Redis: with the in-process cache, a change made in one process would not outdate the
# pages kept by the others.
# Off by default in development, where templates change under the developer's eyes.
ESSAIM_PAGE_CACHE_SECONDS = env_int(
    "ESSAIM_PAGE_CACHE_SECONDS", 300 if REDIS_URL and not DEBUG else 0
)
if ESSAIM_PAGE_CACHE_SECONDS and not REDIS_URL and not DEBUG:
    raise ImproperlyConfigured(
        f"ESSAIM_PAGE_CACHE_SECONDS={ESSAIM_PAGE_CACHE_SECONDS}: needs REDIS_URL (each process "
        "would keep its own pages, and a change would not reach the others)."
    )


# --- periodic jobs (run by `essaim worker`, once cluster-wide) -------------------------
ESSAIM_PERIODIC_TASKS: dict[str, int] = {
    "essaim.common.tasks.refresh_planner_statistics": 24 * 3600,
}
# Moderation: forget hashed addresses past ESSAIM_ADDRESS_HASH_DAYS, and expired blocks.
ESSAIM_PERIODIC_TASKS |= {"essaim.moderation.tasks.purge_address_hashes": 24 * 3600}

# --- initiatives: collaborative validation (GoGoCarto's defaults) and yearly check ------
ESSAIM_VOTES_TO_DECIDE = env_int("ESSAIM_VOTES_TO_DECIDE", 5)  # with no opposite vote
ESSAIM_VOTES_TO_FORCE = env_int("ESSAIM_VOTES_TO_FORCE", 10)
ESSAIM_VOTES_MIN_DAYS = env_int("ESSAIM_VOTES_MIN_DAYS", 2)
ESSAIM_PENDING_ALERT_DAYS = env_int("ESSAIM_PENDING_ALERT_DAYS", 15)
ESSAIM_CONFIRM_AFTER_DAYS = env_int("ESSAIM_CONFIRM_AFTER_DAYS", 365)
ESSAIM_PERIODIC_TASKS |= {
    "essaim.initiatives.tasks.refresh_import_sources": 24 * 3600,
    "essaim.initiatives.tasks.send_alerts": 3600,
    "essaim.initiatives.tasks.review_pending_initiatives": 24 * 3600,
    "essaim.initiatives.tasks.send_confirmation_reminders": 24 * 3600,
    "essaim.initiatives.tasks.purge_import_files": 24 * 3600,
}
# Days an uploaded import file is kept after its import finished (it may hold data the
# import left out, such as contacts).
ESSAIM_IMPORT_FILE_DAYS = env_int("ESSAIM_IMPORT_FILE_DAYS", 7)

# --- agenda: occurrences are materialised this many days before and after today -----------
ESSAIM_AGENDA_HORIZON_DAYS = env_int("ESSAIM_AGENDA_HORIZON_DAYS", 400)
ESSAIM_PERIODIC_TASKS |= {
    "essaim.agenda.tasks.extend_horizons": 24 * 3600,
    # Each subscribed calendar has its own period; this only checks which ones are due.
    "essaim.agenda.tasks.refresh_calendar_sources": 3600,
}

# --- agenda registrations: seats one person may take; days after a date ends before the
# names and e-mails of its registrations are erased (anonymous counts stay) -------------
ESSAIM_REGISTRATION_MAX_SEATS = env_int("ESSAIM_REGISTRATION_MAX_SEATS", 5)
ESSAIM_REGISTRATION_RETENTION_DAYS = env_int("ESSAIM_REGISTRATION_RETENTION_DAYS", 30)
if ESSAIM_REGISTRATION_MAX_SEATS < 1 or ESSAIM_REGISTRATION_RETENTION_DAYS < 0:
    raise ImproperlyConfigured(
        "ESSAIM_REGISTRATION_MAX_SEATS must be at least 1 and "
        "ESSAIM_REGISTRATION_RETENTION_DAYS at least 0."
    )
ESSAIM_PERIODIC_TASKS |= {
    "essaim.agenda.tasks.purge_registrations": 24 * 3600,
}

# --- veille (news watch): polite polling (Miniflux's defaults) ----------------------------
ESSAIM_VEILLE_TIMEOUT = env_int("ESSAIM_VEILLE_TIMEOUT", 20)  # seconds per request
ESSAIM_VEILLE_MAX_BYTES = env_int("ESSAIM_VEILLE_MAX_MIB", 15) * 1024 * 1024
ESSAIM_VEILLE_WORKERS = env_int("ESSAIM_VEILLE_WORKERS", 16)
ESSAIM_VEILLE_PER_HOST = env_int("ESSAIM_VEILLE_PER_HOST", 2)  # concurrent requests per host
ESSAIM_VEILLE_USER_AGENT = f"Essaim-veille/0.1 (+{WAGTAILADMIN_BASE_URL})"
ESSAIM_PERIODIC_TASKS |= {
    "essaim.veille.tasks.poll_sources": 5 * 60,  # polls only the sources that are due
    "essaim.veille.tasks.send_digest": 3600,  # sends when a week has passed since the last
}

# --- publications: Wagtail's scheduled publishing (go_live_at / expire_at) ---------------
ESSAIM_PERIODIC_TASKS |= {
    "essaim.publications.tasks.publish_scheduled": 5 * 60,
}
# --- experiences: days after its last review before a sheet's co-editors are asked to re-read it
ESSAIM_EXPERIENCE_REVIEW_DAYS = env_int("ESSAIM_EXPERIENCE_REVIEW_DAYS", 365)
ESSAIM_PERIODIC_TASKS |= {
    "essaim.experiences.tasks.send_review_reminders": 24 * 3600,
}
# --- evaluation: smallest group of projects whose aggregates a campaign page may show
ESSAIM_EVALUATION_MIN_GROUP = env_int("ESSAIM_EVALUATION_MIN_GROUP", 5)
if ESSAIM_EVALUATION_MIN_GROUP < 2:
    raise ImproperlyConfigured(
        f"ESSAIM_EVALUATION_MIN_GROUP={ESSAIM_EVALUATION_MIN_GROUP}: expected at least 2 "
        "(one project alone would be shown)."
    )
# --- consultations: largest attachment of a proposal (bytes); phase changes announced to followers
ESSAIM_CONSULTATIONS_ATTACHMENT_MAX_BYTES = env_int(
    "ESSAIM_CONSULTATIONS_ATTACHMENT_MAX_BYTES", 5_000_000
)
ESSAIM_PERIODIC_TASKS |= {
    "essaim.consultations.tasks.detect_phase_changes": 15 * 60,
}
# --- directory: days a relayed message's log row (who, when, to whom; never the text) is kept
ESSAIM_DIRECTORY_CONTACT_LOG_DAYS = env_int("ESSAIM_DIRECTORY_CONTACT_LOG_DAYS", 90)
ESSAIM_PERIODIC_TASKS |= {
    "essaim.directory.tasks.purge_contact_log": 24 * 3600,
}
