"""Settings for Bündnis, read from environment variables prefixed ``BUENDNIS_``.

Every variable is documented in the README's configuration table. Development defaults
are safe: SQLite in a local data directory, DEBUG off, a secret key generated once and
kept in the data directory.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """Return the environment variable ``BUENDNIS_<name>`` or the default."""
    return os.environ.get(f"BUENDNIS_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean environment variable; 1/true/yes/on count as true."""
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated environment variable as a list without blanks."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _secret_key(data_dir: Path) -> str:
    """Use BUENDNIS_SECRET_KEY, or a key generated once and kept in the data directory."""
    configured = env("SECRET_KEY")
    if configured:
        return configured
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


DATA_DIR = Path(env("DATA_DIR", str(Path.cwd() / "data"))).resolve()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "buendnis.core",
    "buendnis.accounts",
    "buendnis.agreements",
    "buendnis.activities",
    "buendnis.counselling",
    "buendnis.feedback",
    "buendnis.evaluation",
    "buendnis.operations",
    "buendnis.api",
    # Account security (buendnis/accounts/security): throttling, second factor, sessions.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "buendnis.accounts.security",
    "buendnis.offers",
    # The tamper-evident audit log (docs/audit.md).
    "buendnis.audit",
    # Open data (issue 15): published protected aggregates as Frictionless Data Packages.
    "buendnis.opendata",
    "buendnis.portfolio",
]

MIDDLEWARE = [
    "buendnis.operations.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Changes made by the request are recorded in the audit log as its user's.
    "buendnis.audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Idle and absolute session limits, then the second factor, before any view runs.
    "buendnis.accounts.security.middleware.AccountSecurityMiddleware",
    # django-axes turns a refused login into the lockout page; it belongs last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "buendnis.urls"
WSGI_APPLICATION = "buendnis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "buendnis.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'buendnis.sqlite3'}"),
        conn_max_age=60,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes checks the lockout before the password is looked at (it must come first).
AUTHENTICATION_BACKENDS = [
    "buendnis.accounts.security.throttling.LoginThrottleBackend",
    "buendnis.accounts.backends.GrantsBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # OWASP ASVS 2.1.1: at least 12 characters (docs/security.md).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from it once collected
# KERN UX comes from npm (package.json); the set-up script installs it into node_modules.
KERN_DIST = BASE_DIR.parent / "node_modules" / "@kern-ux" / "native" / "dist"
STATICFILES_DIRS = [("kern", KERN_DIST)] if KERN_DIST.exists() else []
# Hashed, compressed names (gzip and Brotli) collected by ``collectstatic`` at install; the
# tests switch to plain storage so they need no collected manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names need `collectstatic`; off, files are served plainly through
    # the finders (a throwaway data directory, as some tests' subprocesses use).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_HASHED", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Console e-mail by default; BUENDNIS_EMAIL_HOST switches to SMTP.
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
        if env("EMAIL_HOST")
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "buendnis@localhost")

# Outside the documenting organisation, counts from 1 to this minus one show as "< N".
SUPPRESSION_THRESHOLD = int(env("SUPPRESSION_THRESHOLD", "5"))

# A Fachkraft may correct their own counselling record for this many days.
COUNSELLING_EDIT_DAYS = int(env("COUNSELLING_EDIT_DAYS", "14"))
# Counselling contacts are deleted, in whole months, once this many months have passed since
# their month (the daily schedule; ``buendnis purge-counselling``). 36 months keep the two
# years a § 8 evaluation compares, the time until it is agreed, and the ministry's three-year
# look-back; docs/counselling.md says why.
COUNSELLING_RETENTION_MONTHS = int(env("COUNSELLING_RETENTION_MONTHS", "36"))

# Anonymous feedback (buendnis/feedback): results show from this many responses; free text
# is deleted after the retention period (``buendnis purge``); the link of an activity is open
# from its start to this many days after its end; at most max(factor × participants, minimum)
# responses; per link and client address at most FEEDBACK_RATE_LIMIT submissions in a sliding
# window, per address over all links FEEDBACK_RATE_LIMIT_ADDRESS, counted in the shared cache
# (a room of 80 on one venue Wi-Fi fits; docs/feedback.md). PUBLIC_URL
# (https://buendnis.example.org) is what printed QR codes point to; empty means the address
# the page was requested under.
FEEDBACK_MIN_RESPONSES = int(env("FEEDBACK_MIN_RESPONSES", "5"))
FEEDBACK_FREE_TEXT_RETENTION_DAYS = int(env("FEEDBACK_FREE_TEXT_RETENTION_DAYS", "730"))
FEEDBACK_WINDOW_DAYS = int(env("FEEDBACK_WINDOW_DAYS", "14"))
FEEDBACK_CAP_FACTOR = int(env("FEEDBACK_CAP_FACTOR", "3"))
FEEDBACK_CAP_MINIMUM = int(env("FEEDBACK_CAP_MINIMUM", "30"))
FEEDBACK_RATE_LIMIT = int(env("FEEDBACK_RATE_LIMIT", "120"))
FEEDBACK_RATE_LIMIT_ADDRESS = int(env("FEEDBACK_RATE_LIMIT_ADDRESS", "400"))
FEEDBACK_RATE_WINDOW_SECONDS = int(env("FEEDBACK_RATE_WINDOW_SECONDS", "600"))
# Behind a reverse proxy: the request header holding the client address, as Django names it
# in request.META (e.g. HTTP_X_REAL_IP); empty means REMOTE_ADDR.
FEEDBACK_CLIENT_ADDRESS_HEADER = env("FEEDBACK_CLIENT_ADDRESS_HEADER")
PUBLIC_URL = env("PUBLIC_URL")

# KERN's icons are data: URLs, hence img-src data:.
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
}
# Django's database sessions; their read, on every signed-in request, compiled once.
SESSION_ENGINE = "buendnis.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Secure cookies carry the __Host- prefix: the browser keeps them to this host, path /, HTTPS.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SESSION_COOKIE_SECURE else "csrftoken"
SECURE_SSL_REDIRECT = env_bool("HTTPS")
SECURE_HSTS_SECONDS = 31536000 if env_bool("HTTPS") else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HTTPS")
SECURE_HSTS_PRELOAD = env_bool("HTTPS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HTTPS") else None
X_FRAME_OPTIONS = "DENY"

# BUENDNIS_LOG_FORMAT=json writes one JSON object per line, each with the request id that
# RequestIdMiddleware sets (and returns as the X-Request-ID header).
LOG_FORMAT = env("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "buendnis.operations.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "buendnis.operations.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# The cache every web and worker process shares (rate limits): the database by default,
# Redis when BUENDNIS_CACHE_URL names one (redis://host:6379/0).
CACHE_URL = env("CACHE_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "buendnis"),
        }
        if CACHE_URL
        else {
            "BACKEND": "buendnis.operations.cache.DatabaseCache",
            "LOCATION": "buendnis_cache",
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "buendnis"),
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    )
}

# Rendered page fragments (``core.fragments``), each process its own: a fragment's key is
# a digest of everything it shows, so a change in the data makes a new key and nothing has
# to be invalidated, or shared between processes.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "buendnis-fragments",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 500},
}

# Background work (Django tasks) in the database; ``buendnis worker`` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASKS_KEEP_DAYS = int(env("TASKS_KEEP_DAYS", "14"))  # finished task records, then pruned
# A worker writes a heartbeat this often; /readyz and the job recovery count a worker as gone
# when its last heartbeat is older than WORKER_TIMEOUT_SECONDS.
WORKER_HEARTBEAT_SECONDS = int(env("WORKER_HEARTBEAT_SECONDS", "15"))
WORKER_TIMEOUT_SECONDS = int(env("WORKER_TIMEOUT_SECONDS", "120"))
# The daily schedules (reminders, purge, report retention, sessions) run at this local hour;
# the same overdue item is reminded to the same person again only after this many days.
SCHEDULE_HOUR = int(env("SCHEDULE_HOUR", "6"))
REMINDER_INTERVAL_DAYS = int(env("REMINDER_INTERVAL_DAYS", "7"))
# The app server (``buendnis serve``): gunicorn ``gthread`` workers (processes) with
# WEB_THREADS threads each, and the seconds a request may take before gunicorn restarts its
# worker. A thread that waits for PostgreSQL frees the processor, so cores + 1 processes of
# 4 threads keep 2 cores busy without crowding them (and hold 12 database connections).
WEB_WORKERS = int(env("WORKERS", "0")) or min((os.cpu_count() or 1) + 1, 9)
WEB_THREADS = int(env("THREADS", "4"))
# Connections a worker holds at once, busy or kept alive. A gthread worker keeps every
# connection it accepted, and the one that wakes first takes most of a burst (27 of 32 in the
# load run, its two siblings idle); a cap spreads them. Beyond it, a worker answers with
# "Connection: close" once (cap - threads) connections idle, and stops accepting until one ends.
WEB_WORKER_CONNECTIONS = int(env("WORKER_CONNECTIONS", "0")) or WEB_THREADS * 3
WEB_TIMEOUT_SECONDS = int(env("WEB_TIMEOUT_SECONDS", "300"))

# Reports prepared on the web (buendnis/evaluation/jobs.py) are tasks for ``buendnis worker``;
# finished files are kept this many hours (the daily schedule drops older ones), and a job
# whose worker died is tried this many times in all before it is marked failed.
REPORT_JOBS_ATTEMPTS = int(env("REPORT_JOBS_ATTEMPTS", "2"))
REPORT_JOBS_KEEP_HOURS = int(env("REPORT_JOBS_KEEP_HOURS", "24"))

# An invitation link to a new account (buendnis/accounts) can be used once, within this many days.
INVITATION_DAYS = int(env("INVITATION_DAYS", "7"))

# REST API (buendnis/api): requests per personal token and window ("120/minute", "10/second",
# "1000/hour"), counted in the shared cache; 0 switches the throttle off.
API_TOKEN_RATE = env("API_TOKEN_RATE", "120/minute")
# Account security (buendnis/accounts/security, docs/security.md).
# Login throttling by django-axes with its database handler, so every worker sees the same
# counts: after LOGIN_FAILURE_LIMIT failures for one username, or from one client address,
# further attempts are refused for LOGIN_COOLOFF_MINUTES. Addresses are stored only as a
# keyed hash (see security/throttling.py); the client address comes from the same header as
# the feedback rate limit.
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_COOLOFF_MINUTES = int(env("LOGIN_COOLOFF_MINUTES", "15"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # security/services.py resets the username's own count only
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # no record of successful logins with addresses
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "buendnis.accounts.security.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "buendnis.accounts.security.throttling.client_address"
AXES_SENSITIVE_PARAMETERS = ["username", "password", "csrfmiddlewaretoken"]

# Two-factor authentication (TOTP by django-otp, recovery codes of our own): required for
# these roles (comma-separated; empty: offered to everyone, required of no one).
TWO_FACTOR_REQUIRED_ROLES = env_list("2FA_REQUIRED_ROLES", "ministerium,admin")
OTP_TOTP_ISSUER = "Bündnis"

# Sessions end after this many idle minutes and, however active, after this many hours.
SESSION_IDLE_MINUTES = int(env("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(env("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_SAMESITE = "Lax"
# Public offers (buendnis/offers): cached public pages and feeds live this many seconds at
# most (changes invalidate them at once); origins (https://partner.example.org) whose pages
# may frame a partner's embeddable offer list; every other page keeps frame-ancestors 'none'.
OFFERS_CACHE_SECONDS = int(env("OFFERS_CACHE_SECONDS", "300"))
OFFERS_EMBED_ORIGINS = env_list("EMBED_ORIGINS")
