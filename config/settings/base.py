"""Settings shared by every environment. Each setting says why it is here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _
from marshmallow.validate import OneOf

from config.env import BASE_DIR, database_from_url, env
from sihai.accounts.passwords import password_validators

# --- Core -------------------------------------------------------------------

# Overridden per environment; production refuses to start without a real one.
SECRET_KEY = env.str("SIHAI_SECRET_KEY", default="")
DEBUG = env.bool("SIHAI_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("SIHAI_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# Demo personas and `sihai seed-demo` exist only where this is true; production
# turns it off so the published demo password can never open a real account.
SIHAI_DEMO_ENABLED = False

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # django-ninja: JSON APIs with OpenAPI 3.1 (and its export_openapi_schema command).
    "ninja",
    # Django 6's django.tasks API, backported; the queue lives in our own database.
    "django_tasks",
    "django_tasks_db",
    # Sihai: the shared kernel first, then domain apps, then UI shells.
    "sihai.core",
    "sihai.areas",
    "sihai.accounts",
    "sihai.audit",
    "sihai.notifications",
    "sihai.residents",
    "sihai.directory",
    "sihai.hsds",
    "sihai.spreadsheets",
    "sihai.cases",
    "sihai.open311",
    "sihai.applications",
    "sihai.reporting",
    "sihai.portal",
    "sihai.workbench",
    "sihai.demo",
]

MIDDLEWARE = [
    # First, so every response (even an error page) carries the request id and is logged.
    "sihai.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the static files (our own and the npm-installed libraries) without a separate server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # MLPS profile: a password older than 180 days must be changed before any workbench page.
    "sihai.accounts.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sihai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sihai.core.context_processors.preferences",
                "sihai.workbench.context_processors.workbench",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

# SQLite (embedded, one workstation or a demo) unless DATABASE_URL names PostgreSQL.
DATABASES = {"default": database_from_url(env.str("DATABASE_URL", default=""))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity ---------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["sihai.accounts.backends.StaffPasswordBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "portal:home"
# Password rules: "mlps" (GB/T 22239: ≥ 10 characters, 3 character classes, not one of the
# last 5, changed every 180 days) or "asvs" (OWASP ASVS 5.0: ≥ 12 characters, not a breached
# password, no forced rotation). See sihai/accounts/passwords.py.
SIHAI_PASSWORD_PROFILE = env.str("SIHAI_PASSWORD_PROFILE", default="mlps")
# Optional file of breached passwords (one per line, optionally gzipped) for the ASVS profile;
# Django's list of 20,000 common breached passwords is used when empty.
SIHAI_BREACHED_PASSWORDS_FILE = env.str("SIHAI_BREACHED_PASSWORDS_FILE", default="")
AUTH_PASSWORD_VALIDATORS = password_validators(
    SIHAI_PASSWORD_PROFILE, SIHAI_BREACHED_PASSWORDS_FILE
)
# Second factor (TOTP) for staff: "required" for everyone (the production default), or
# "admins" for the three administrator roles only (administrators always need it).
SIHAI_STAFF_2FA = env.str(
    "SIHAI_STAFF_2FA", default="required", validate=OneOf(["required", "admins"])
)
# Lockout: this many failed sign-ins for one username lock it for SIHAI_LOCKOUT_MINUTES.
SIHAI_LOCKOUT_ATTEMPTS = 5
SIHAI_LOCKOUT_MINUTES = 15
# Idle timeout: a session ends 30 minutes after its last request (MLPS 8.1.4.1).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True

# --- Languages and time -----------------------------------------------------

# Chinese first: the city's residents and staff read Chinese; English for partners and visitors.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sihai" / "locale"]
# Kept for a year so a resident's language choice survives closing the browser.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
# Where `sihai collectstatic` gathers files for production.
STATIC_ROOT: Path | None = env.path("SIHAI_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Where `npm ci` puts htmx, ECharts and Leaflet. Only the files listed here are served
# and collected; when they are absent, pages still work (without charts and maps).
NODE_MODULES_DIR = env.path("SIHAI_NODE_MODULES", default=BASE_DIR / "node_modules")
SIHAI_VENDOR_FILES = {
    "vendor/htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/echarts/echarts.min.js": "echarts/dist/echarts.min.js",
    "vendor/leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    # leaflet.js names its source map; hashed static storage must find it.
    "vendor/leaflet/leaflet.js.map": "leaflet/dist/leaflet.js.map",
    "vendor/leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    **{
        f"vendor/leaflet/images/{image}": f"leaflet/dist/images/{image}"
        for image in (
            "layers.png",
            "layers-2x.png",
            "marker-icon.png",
            "marker-icon-2x.png",
            "marker-shadow.png",
        )
    },
}
STATICFILES_DIRS = [BASE_DIR / "sihai" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "sihai.core.vendor.VendorFinder",
]
# The third-party files a template may ask for by name (see sihai/core/templatetags/sihai.py).
SIHAI_VENDOR_ASSETS = {
    "htmx": "vendor/htmx/htmx.min.js",
    "echarts": "vendor/echarts/echarts.min.js",
    "leaflet.js": "vendor/leaflet/leaflet.js",
    "leaflet.css": "vendor/leaflet/leaflet.css",
}
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Tasks ------------------------------------------------------------------

# A database-backed queue: no extra server to run, transactional enqueue (ADR 0003).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Security headers shared by all environments ----------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Cryptography (sihai/core/crypto.py, docs/adr/0004-field-encryption.md) --

# Field-encryption keys: "id:algorithm:base64key,...", algorithm sm4-gcm (16-byte key) or
# aes-256-gcm (32-byte key). Old keys stay listed until `sihai rotate-keys` has moved every value.
SIHAI_FIELD_KEYS = env.str("SIHAI_FIELD_KEYS", default="")
# The key that encrypts new values.
SIHAI_FIELD_KEY_ACTIVE = env.str("SIHAI_FIELD_KEY_ACTIVE", default="")
# HMAC-SM3 key (base64, ≥ 32 bytes) for blind indexes of ID and phone numbers. Never rotated
# casually: changing it means recomputing every index.
SIHAI_BLIND_INDEX_KEY = env.str("SIHAI_BLIND_INDEX_KEY", default="")

# --- SMS (sihai/notifications/sms.py) ---------------------------------------

# "outbox" (kept in the database; demo and tests), "console" (logged) or "aliyun".
SIHAI_SMS_BACKEND = env.str("SIHAI_SMS_BACKEND", default="aliyun")
SIHAI_SMS_ALIYUN_ACCESS_KEY_ID = env.str("SIHAI_SMS_ALIYUN_ACCESS_KEY_ID", default="")
SIHAI_SMS_ALIYUN_ACCESS_KEY_SECRET = env.str("SIHAI_SMS_ALIYUN_ACCESS_KEY_SECRET", default="")
# The approved signature (签名) and the template of the sign-in code message (验证码模板).
SIHAI_SMS_ALIYUN_SIGN_NAME = env.str("SIHAI_SMS_ALIYUN_SIGN_NAME", default="")
SIHAI_SMS_CODE_TEMPLATE = env.str("SIHAI_SMS_CODE_TEMPLATE", default="SMS_SIHAI_CODE")
SIHAI_SMS_ALIYUN_ENDPOINT = env.str(
    "SIHAI_SMS_ALIYUN_ENDPOINT", default="https://dysmsapi.aliyuncs.com/"
)

# --- Notification outbox (sihai/notifications/channels.py) -----------------

# "live" (SMS through SIHAI_SMS_BACKEND, WeChat subscription messages, e-mail through Django)
# or "console" (logged and kept on the demo outbox page; nothing leaves the machine).
SIHAI_NOTIFY_DELIVERY = env.str("SIHAI_NOTIFY_DELIVERY", default="live")
# Access token of the WeChat official account / mini-program for subscription messages.
SIHAI_WECHAT_ACCESS_TOKEN = env.str("SIHAI_WECHAT_ACCESS_TOKEN", default="")

# --- Sihai ------------------------------------------------------------------

# The NBS code of the city this instance serves: the root of the area tree and of the portal's
# "which community am I in?" walk.
SIHAI_CITY_CODE = env.str("SIHAI_CITY_CODE", default="5301")
# Cookie that remembers care mode (适老化: large text and targets) per browser.
SIHAI_CARE_MODE_COOKIE = "sihai_care"
# PIPL art. 47/50: a resident's request to delete their data is decided within this many days
# (GB/T 35273 allows 30; the city promises 15). Staff queues show the deadline.
SIHAI_DELETION_DECISION_DAYS = env.int("SIHAI_DELETION_DECISION_DAYS", default=15)
# After opening a record with a stated purpose, the worker may keep working on it (correct it,
# record a consent, add a child) this long without being asked again; every page is still logged.
SIHAI_RECORD_OPEN_MINUTES = 15

# --- Service directory and the 15-minute circle (sihai/directory, docs/subsystems/geo.md) --

# Walking time = straight-line distance × detour factor ÷ walking speed. 4 km/h and 1.3 make
# 15 minutes about 1,000 m of walking (GB 50180-2018 puts the 15-minute circle at 800–1,000 m).
SIHAI_WALK_SPEED_KMH = env.float("SIHAI_WALK_SPEED_KMH", default=4.0)
SIHAI_WALK_DETOUR = env.float("SIHAI_WALK_DETOUR", default=1.3)
# The service circle the city promises, in minutes of walking.
SIHAI_SERVICE_CIRCLE_MINUTES = env.float("SIHAI_SERVICE_CIRCLE_MINUTES", default=15.0)
# Map tiles for Leaflet ("https://.../{z}/{x}/{y}.png"); empty = no tiles, markers on a blank map.
SIHAI_MAP_TILE_URL = env.str("SIHAI_MAP_TILE_URL", default="")
SIHAI_MAP_TILE_ATTRIBUTION = env.str("SIHAI_MAP_TILE_ATTRIBUTION", default="")
# True when the tiles are drawn in GCJ-02 (AMap/Gaode, Tencent): markers are converted to match.
SIHAI_MAP_TILES_GCJ02 = env.bool("SIHAI_MAP_TILES_GCJ02", default=False)
# Upper bound on the exact (MILP) placement solve, in seconds; greedy needs no bound.
SIHAI_PLACEMENT_TIME_LIMIT_S = env.float("SIHAI_PLACEMENT_TIME_LIMIT_S", default=10.0)

# --- Spreadsheet import (sihai/spreadsheets, docs/subsystems/spreadsheets.md) ---

# Largest upload accepted (bytes); larger files are refused before they are parsed.
SIHAI_IMPORT_MAX_BYTES = env.int("SIHAI_IMPORT_MAX_BYTES", default=20_000_000)
# Zip-bomb guard for .xlsx: the archive's declared uncompressed total, and the largest
# compression ratio of an entry over 1 MB (real workbooks stay far below both).
SIHAI_IMPORT_MAX_UNCOMPRESSED = env.int("SIHAI_IMPORT_MAX_UNCOMPRESSED", default=400_000_000)
SIHAI_IMPORT_MAX_RATIO = env.int("SIHAI_IMPORT_MAX_RATIO", default=200)
# Data rows one file may hold.
SIHAI_IMPORT_MAX_ROWS = env.int("SIHAI_IMPORT_MAX_ROWS", default=200_000)
# Rows per batch: one transaction, one audit entry, one resume point each.
SIHAI_IMPORT_BATCH_ROWS = env.int("SIHAI_IMPORT_BATCH_ROWS", default=500)
# Uploads of abandoned jobs and error workbooks are deleted after this (`sihai imports purge`).
SIHAI_IMPORT_RETENTION_HOURS = env.int("SIHAI_IMPORT_RETENTION_HOURS", default=72)
# A running pass with no committed batch for this long has lost its worker: it may be resumed.
SIHAI_IMPORT_STALE_SECONDS = env.int("SIHAI_IMPORT_STALE_SECONDS", default=300)

# --- Applications (sihai/applications, docs/subsystems/applications.md) ---

# Where application documents are kept, encrypted (one file per document).
SIHAI_DOCUMENT_ROOT = env.str("SIHAI_DOCUMENT_ROOT", default=str(BASE_DIR / "var" / "documents"))
# Largest document accepted (bytes); a larger upload is refused before it is read.
SIHAI_DOCUMENT_MAX_BYTES = env.int("SIHAI_DOCUMENT_MAX_BYTES", default=10_000_000)

# --- Logging ----------------------------------------------------------------

# One JSON object per line on stdout: easy to ship, easy to grep by request id.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sihai.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "sihai.core.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["stdout"], "level": env.str("SIHAI_LOG_LEVEL", default="INFO")},
    "loggers": {
        # The request middleware logs every request itself; Django's copy would duplicate it.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# --- Insight (sihai/reporting) -------------------------------------------------

# Small-cell suppression: a published cell counts at least this many people (never below 5).
SIHAI_SUPPRESSION_K = env.int("SIHAI_SUPPRESSION_K", default=10)
# Rollups add only events older than this: a transaction committing late keeps its id.
SIHAI_ROLLUP_SETTLE_SECONDS = env.float("SIHAI_ROLLUP_SETTLE_SECONDS", default=60.0)
# PostgreSQL's work_mem for a rebuild's grouped queries (one transaction; the server's own
# default is kept everywhere else): tens of millions of events group in memory, not on disk.
SIHAI_ROLLUP_REBUILD_WORK_MEM = env.str("SIHAI_ROLLUP_REBUILD_WORK_MEM", default="256MB")
# A built dashboard is reused while every rollup watermark stands still, for at most this
# many seconds (live "as of today" figures are at most this old); 0 turns it off.
SIHAI_DASHBOARD_CACHE_SECONDS = env.float("SIHAI_DASHBOARD_CACHE_SECONDS", default=60.0)
