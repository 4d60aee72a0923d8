"""Settings of the app server and worker the fault tests start (tests/reliability/).

Production's settings (base: persistent connections with health checks, Redis as broker
and cache, the outage middleware) pointed by the environment at the test's PRIVATE
PostgreSQL and Redis, with: no secrets, fast password hashing, a check-in window of the
whole day (the test runs at any hour), no quiet hours, SMS to a file and e-mail to files
so the test can count what was sent."""
import os

from tongxiang.settings.base import *  # noqa: F403

SECRET_KEY = "reliability-test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CHECKIN_WINDOW_START = "00:00"
CHECKIN_WINDOW_END = "23:59"
NOTIFICATIONS_QUIET_HOURS = ("00:00", "00:00")
NOTIFICATIONS_SMS_BACKEND = "tests.reliability.gateway.FileGateway"
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("TEST_MAIL_DIR", "/tmp/tongxiang-reliability-mail")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
