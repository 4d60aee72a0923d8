"""Settings shared by every environment. Everything that differs between machines
comes from the environment (cookiecutter-django style)."""
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "residency",
    "nightlog",
    "appraisal",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A database outage raised by a view is a Chinese 503 with Retry-After (residency/outage.py;
    # handler500 does the same for one raised in a middleware).
    "residency.outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The idle timeout: a session write at most once a minute (SESSION_IDLE_TOUCH_SECONDS).
    "residency.access.idle.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "residency.privacy.responses.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "residency.audit.middleware.AuditContextMiddleware",
    # Axes must be last: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

# DJANGO_BENCH_URLS=1 adds the load benchmark's bare page (/bench/bare/, tongxiang/bench_urls.py);
# never set in production.
ROOT_URLCONF = "tongxiang.bench_urls" if env_bool("DJANGO_BENCH_URLS", False) else "tongxiang.urls"
WSGI_APPLICATION = "tongxiang.wsgi.application"

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
                "residency.access.context_processors.role",
                "tongxiang.pwa.pwa",
            ],
        },
    },
]



def sqlite_options() -> dict:
    """SQLite (the embedded default) under concurrent writes: every transaction takes the
    write lock when it begins (IMMEDIATE), so two writers queue for up to ``timeout``
    seconds instead of one failing with "database is locked" when it upgrades a read lock;
    WAL lets pages be read while a write is in progress."""
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }


# Database: DATABASE_URL, else an SQLite file in the project (the embedded default).
# Connections are kept DJANGO_CONN_MAX_AGE seconds (60) and tested before each request
# reuses one (CONN_HEALTH_CHECKS), so after a database restart the app reconnects by itself;
# while the database is down pages answer a Chinese 503 (docs/RELIABILITY.md).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(sqlite_options())
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Authentication and security basics (等保 level 3 expectations).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "residency.access.auth.UsernameOrPhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "residency.access.validators.LettersAndDigitsValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Our own reverse proxies (networks, comma-separated): behind one of them the client is the
# rightmost X-Forwarded-For address that is not a proxy (residency/client_ip.py). Empty: no
# proxy is trusted and X-Forwarded-For is ignored. See docs/OPERATIONS.md.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# django-axes (residency/lockout.py): 5 failures lock an account, whatever name is typed
# (username or phone), from one client address for 30 minutes; 20 failures from one address
# across accounts (password spraying) lock that address out of every account.
AXES_CLIENT_IP_CALLABLE = "residency.access.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "residency.access.lockout.lockout_username"
AXES_HANDLER = "residency.access.lockout.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

# Audit rows are kept at least this many days (never fewer than 180: residency/purge.py and
# the database triggers refuse younger rows).
AUDIT_LOG_RETENTION_DAYS = int(os.environ.get("AUDIT_LOG_RETENTION_DAYS", "180"))

# 30-minute idle timeout: residency.access.idle writes the session (pushing its expiry 30
# minutes forward) at most once every SESSION_IDLE_TOUCH_SECONDS, not on every page, so an
# idle user is logged out 29 to 30 minutes after the last request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_IDLE_TOUCH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): scripts only from our own /static/ (no inline
# script, no event-handler attributes: page behaviours are in static/js/page_actions.js,
# data reaches scripts through json_script). Inline style attributes remain allowed;
# Bootstrap's icons are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Language and time.
# Chinese is the shipped language whatever the browser asks for (no LocaleMiddleware):
# a county intranet PC with an English browser must still show the Chinese UI.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background exports (residency.exports): files go to the ``default`` storage (MEDIA_ROOT,
# i.e. DJANGO_MEDIA_ROOT, in production); a download link works this many hours after the
# export finished, then ``purge_exports`` (daily in beat) deletes the file.
EXPORT_LINK_TTL_HOURS = int(os.environ.get("EXPORT_LINK_TTL_HOURS", "24"))

# Uploads (imports): refuse anything over 10 MB before it is parsed.
IMPORT_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: REDIS_URL makes it real; without it tasks run in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

# One cache shared by every web process when Redis is configured (rate limits, for one);
# a per-process memory cache otherwise.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
         "KEY_PREFIX": "tongxiang", "TIMEOUT": 300}
        if REDIS_URL else
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@tongxiang.local")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Night-residence check-in window (residency/roster/services/checkin.py): server time in
# TIME_ZONE; an END earlier than START means the next morning, and a check-in after
# midnight belongs to the previous night's stay.
CHECKIN_WINDOW_START = os.environ.get("CHECKIN_WINDOW_START", "17:00")
CHECKIN_WINDOW_END = os.environ.get("CHECKIN_WINDOW_END", "02:00")
# Which night a moment belongs to: one rule, ``residency.nights.night_of(moment, activity=)``.
# Before its activity's cut-off the next morning a moment belongs to the previous night:
#   check-in and visits: CHECKIN_WINDOW_END when the window crosses midnight (else 00:00);
#   spot checks:         SPOT_CHECK_NIGHT_CUTOFF (a morning spot check verifies the night before).
SPOT_CHECK_NIGHT_CUTOFF = os.environ.get("SPOT_CHECK_NIGHT_CUTOFF", "12:00")
# A check-in whose position is farther than this from the village office is flagged
# (Stay.checkin_far, the far_checkin signal); docs/ROSTER.md "签到位置".
CHECKIN_FAR_RADIUS_M = int(os.environ.get("CHECKIN_FAR_RADIUS_M", "500"))
# Spot checks may be recorded for nights of the last this many hours, never the future.
SPOT_CHECK_MAX_AGE_HOURS = int(os.environ.get("SPOT_CHECK_MAX_AGE_HOURS", "48"))
# Leave whose first night lies in the past (补假): the township admin approves it up to
# this many days back; further back only the organisation department.
LEAVE_BACKDATE_DAYS_TOWNSHIP = int(os.environ.get("LEAVE_BACKDATE_DAYS_TOWNSHIP", "3"))
# A confirmed violation may be appealed within this many days of the notice.
APPEAL_DEADLINE_DAYS = int(os.environ.get("APPEAL_DEADLINE_DAYS", "15"))
# A user's role and scope are kept in the cache between requests for at most this many
# seconds (0: never); any change to what they are made of forgets them at once
# (residency/access/scope_cache.py).
SCOPE_CACHE_SECONDS = int(os.environ.get("SCOPE_CACHE_SECONDS", "300"))
# 考核统计与报表: the county figures are cached; a write to findings, appeals, grades, ballots,
# meetings, stations or cadres refreshes them at once, nightly facts (visits, check-ins)
# within this many seconds (appraisal/selectors/stats.py).
APPRAISAL_STATS_CACHE_SECONDS = int(os.environ.get("APPRAISAL_STATS_CACHE_SECONDS", "600"))
# 补记: a visit written 48 h to this many days after it is saved and marked 补记; an older
# one needs the township admin's approval (docs/NIGHTLOG.md).
VISIT_LATE_ENTRY_DAYS = int(os.environ.get("VISIT_LATE_ENTRY_DAYS", "7"))

# --- Notifications and reminders (notifications app, issue 6; docs/REMINDERS.md) --------
# Times are local (TIME_ZONE, Asia/Shanghai); weekdays 0 = Monday. Beat runs the sweep
# every NOTIFICATIONS_SWEEP_MINUTES; each reminder is created by the first sweep at or
# after its time, and dropped once its occasion has passed.
# The unread badge on every page is counted once and kept in the cache this many seconds
# (0: counted on every page); creating or reading notifications forgets it at once.
NOTIFICATIONS_BADGE_CACHE_SECONDS = int(os.environ.get("NOTIFICATIONS_BADGE_CACHE_SECONDS", "120"))
NOTIFICATIONS_TIMES = {
    "stay_tonight": "16:00",      # workday: each cadre with a stay tonight
    "checkin_missing": "21:30",   # stay tonight, no check-in: cadre + township admins
    "no_visit_logged": "09:00",   # next morning: stayed, logged no visit that night
    "roster_gaps": "10:00",       # on NOTIFICATIONS_ROSTER_GAPS_WEEKDAY: next week's gaps
    "problem_overdue": "08:30",   # daily: overdue problems (township admin after 7 days)
    "ties_incomplete": "09:00",   # on NOTIFICATIONS_TIES_WEEKDAY: household ties
    "review_meeting": "09:00",    # NOTIFICATIONS_REVIEW_MEETING_DAYS_BEFORE a meeting
    "meeting_season": "09:00",    # weekly from NOTIFICATIONS_MEETING_SEASON_START
}
NOTIFICATIONS_ROSTER_GAPS_WEEKDAY = 3  # Thursday
NOTIFICATIONS_TIES_WEEKDAY = 0  # Monday
NOTIFICATIONS_REVIEW_MEETING_DAYS_BEFORE = (7, 1)
# From this day (MM-DD) to the end of the year, every 7 days, township admins are reminded
# of their villages that have not held the year's 述职评议大会.
NOTIFICATIONS_MEETING_SEASON_START = os.environ.get("NOTIFICATIONS_MEETING_SEASON_START", "11-01")
NOTIFICATIONS_QUIET_HOURS = ("22:00", "07:00")  # default; each user can change it
NOTIFICATIONS_SWEEP_MINUTES = int(os.environ.get("NOTIFICATIONS_SWEEP_MINUTES", "5"))
# Outside channels (issue 12; off by default). Aliyun SMS: set the ALIYUN_SMS_* variables
# (setting ALIYUN_SMS_ACCESS_KEY_ID makes it the SMS backend unless
# NOTIFICATIONS_SMS_BACKEND names another). 浙政钉/DingTalk work notifications: on when
# app key, secret and agent id are all set. Both retry HTTP 5xx, never 4xx.
ALIYUN_SMS_ENDPOINT = os.environ.get("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com")
ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_SIGN_NAME = os.environ.get("ALIYUN_SMS_SIGN_NAME", "")
ALIYUN_SMS_TEMPLATE_CODE = os.environ.get("ALIYUN_SMS_TEMPLATE_CODE", "")
ALIYUN_SMS_TEMPLATE_PARAM = os.environ.get("ALIYUN_SMS_TEMPLATE_PARAM", "content")
NOTIFICATIONS_SMS_BACKEND = os.environ.get(
    "NOTIFICATIONS_SMS_BACKEND",
    "notifications.channels.aliyun_sms.AliyunSmsBackend" if ALIYUN_SMS_ACCESS_KEY_ID
    else "notifications.sms.LoggingBackend")
NOTIFICATIONS_DINGTALK_ENDPOINT = os.environ.get("NOTIFICATIONS_DINGTALK_ENDPOINT",
                                                 "https://oapi.dingtalk.com")
NOTIFICATIONS_DINGTALK_APP_KEY = os.environ.get("NOTIFICATIONS_DINGTALK_APP_KEY", "")
NOTIFICATIONS_DINGTALK_APP_SECRET = os.environ.get("NOTIFICATIONS_DINGTALK_APP_SECRET", "")
NOTIFICATIONS_DINGTALK_AGENT_ID = os.environ.get("NOTIFICATIONS_DINGTALK_AGENT_ID", "")
NOTIFICATIONS_HTTP_RETRIES = int(os.environ.get("NOTIFICATIONS_HTTP_RETRIES", "2"))
NOTIFICATIONS_HTTP_BACKOFF = float(os.environ.get("NOTIFICATIONS_HTTP_BACKOFF", "0.5"))
NOTIFICATIONS_SITE_URL = os.environ.get("NOTIFICATIONS_SITE_URL", "")  # for links in e-mail
# --- end notifications ---------------------------------------------------------------
