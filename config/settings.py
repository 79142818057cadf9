"""Settings for the interview-practice site, read from environment variables."""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_rate(name: str, default: str) -> str:
    """A rate limit such as `10/m` or `20/10m`: a count per s, m, h or d (optionally several)."""
    value = env(name, default)
    if not re.fullmatch(r"[0-9]+/[0-9]*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 10/m or 20/10m, not {value!r}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "interviews",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Pages compressed for browsers that accept gzip (a quiz page: 10.8 KB to 1.8 KB, 0.04 ms). Its
    # random padding (Heal The Breach) and Django's per-response CSRF masking keep BREACH off the
    # token and the session though pages echo what the learner typed.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "interviews.middleware.upload_limits",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "interviews.middleware.private_pages",
    "interviews.middleware.fresh_due_summary",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "interviews.middleware.htmx_login_redirect",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "interviews.context_processors.review_due",
                "interviews.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite tuned for concurrent use by default, PostgreSQL through DATABASE_URL.
# Connections persist across requests (DATABASE_CONN_MAX_AGE seconds, checked before reuse): opening
# one per request cost about a third of the answer POST, and for SQLite the last close after a write
# also ran a WAL checkpoint with fsync.
DATABASE_URL = env("DATABASE_URL")
CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 600)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend; writers wait in a queue, not in SQLite's busy handler.
            "ENGINE": "interviews.sqlite",
            "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            # A file, not shared-cache memory, so tests see the same locking as production.
            "TEST": {"NAME": env("SQLITE_TEST_PATH", str(BASE_DIR / "test-db.sqlite3"))},
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-20000;"
                ),
            },
        }
    }

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "interviews.auth.LearnerBackend",
    # Only for sessions signed in before LearnerBackend: a session names the backend that signed it in.
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "interviews:home"
LOGOUT_REDIRECT_URL = "interviews:home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 0 if DEBUG else 31536000

# Email: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ML Interview Prep <noreply@localhost>")

# Mail and other slow work run off the request path: queued in the database, run by
# `manage.py db_worker` (a process of its own in production; `make run` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Security headers. HTTPS-only settings switch on whenever DEBUG is off.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Preloading is hard to undo (browsers ship the list), so it is the operator's explicit choice.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD") and SECURE_HSTS_SECONDS > 0
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]  # "preload is off": on purpose
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_FAILURE_VIEW = "interviews.views.errors.csrf_failure"

# Login throttling: lock a username+IP pair out after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out do not restart the cool-off: else anyone behind the same address
# could keep a person locked out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "interviews.views.accounts.locked_out"
AXES_CLIENT_IP_CALLABLE = "interviews.limits.client_ip"

# Rate limits per client address (log-in, sign-up, reset) or per account (the rest), counted in
# the cache: set REDIS_URL when several app processes serve the site, or each counts on its own.
# Log-in's limit is checked before the password is hashed, the costly part of a log-in.
RATE_LIMITS = {
    "login": env_rate("DJANGO_RATE_LOGIN", "10/m"),
    "signup": env_rate("DJANGO_RATE_SIGNUP", "5/h"),
    "password_reset": env_rate("DJANGO_RATE_PASSWORD_RESET", "10/h"),
    "password_reset_address": env_rate("DJANGO_RATE_PASSWORD_RESET_ADDRESS", "3/h"),
    "quiz_create": env_rate("DJANGO_RATE_QUIZ_CREATE", "30/10m"),
    "answer": env_rate("DJANGO_RATE_ANSWER", "120/m"),
    "note": env_rate("DJANGO_RATE_NOTE", "60/m"),
}
RATELIMIT_IP_META_KEY = "interviews.limits.client_ip"

# Argon2id, Django's recommended hasher; an older hash is rehashed with it at the next log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AXES_VERBOSE = False

# Django's db and cached_db sessions, read by a written-out query (interviews/sessions.py).
SESSION_ENGINE = "interviews.cached_sessions" if REDIS_URL else "interviews.sessions"

# Logs go to the process's standard error, as JSON lines unless DJANGO_LOG_FORMAT=text (the
# default with DEBUG). Every 500 is logged there with its traceback, and mailed to ADMINS if set.
LOG_LEVEL = env("DJANGO_LOG_LEVEL", "WARNING")
LOG_FORMAT = env("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
ADMINS = env_list("DJANGO_ADMINS")
SERVER_EMAIL = env("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "json": {"()": "interviews.log_format.JsonLines"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "level": LOG_LEVEL},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Replaces Django's default handlers for its loggers; their records reach the console through root.
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True}},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_MAX_BODY_BYTES", 100_000)
# Only the admin's question import accepts a file (multipart); every other address refuses one.
MAX_IMPORT_BYTES = env_int("DJANGO_MAX_IMPORT_BYTES", 5_000_000)

# `make bench` serves a bare "hello" view beside the app to measure the server's own cost.
BENCH_ENDPOINTS = env_bool("DJANGO_BENCH_ENDPOINTS")

# --- Operations: request log, metrics, health checks, backups -----------------------------------------
# First, so the request log times and counts everything the other middleware does.
MIDDLEWARE.insert(0, "interviews.request_log.RequestLogMiddleware")
# One JSON line per request on standard error (logger "prep.requests"); off with DJANGO_REQUEST_LOG=0.
REQUEST_LOG = env_bool("DJANGO_REQUEST_LOG", True)
LOGGING.setdefault("formatters", {})["bare"] = {"format": "%(message)s"}
LOGGING["handlers"]["requests"] = {"class": "logging.StreamHandler", "formatter": "bare"}
LOGGING.setdefault("loggers", {})["prep.requests"] = {
    "handlers": ["requests"],
    "level": "INFO" if REQUEST_LOG else "WARNING",
    "propagate": False,
}
# /metrics (Prometheus) answers only requests that carry this token; unset, it does not exist.
METRICS_TOKEN = env("METRICS_TOKEN")
SECURE_REDIRECT_EXEMPT += [r"^metrics$"]  # scraped over the private network, like /healthz
# /healthz reports "disk full" when the SQLite database's filesystem has less free space than this.
HEALTHZ_MIN_FREE_MB = env_int("HEALTHZ_MIN_FREE_MB", 64)
# Where `make backup` writes (SQLite copies and pg_dump files).
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "backups")))
