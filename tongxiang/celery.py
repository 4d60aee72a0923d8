"""The Celery app. Each Django app's ``tasks.py`` is autodiscovered.

With no ``REDIS_URL`` the settings make every task run in-process
(``task_always_eager``), so ``make run`` needs no broker.

Beat (``make beat``) must run as exactly ONE process per deployment: it only triggers the
reminder sweep; the database decides what is due, so a second beat would do no harm to
correctness but doubles the work. See docs/REMINDERS.md.
"""
import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxiang.settings.local")

app = Celery("tongxiang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _sweep_minutes() -> int:
    # Read from the environment (as settings do) so that importing this module never
    # touches Django settings.
    return max(1, int(os.environ.get("NOTIFICATIONS_SWEEP_MINUTES", "5")))


# Reminders (notifications app): one sweep every few minutes; each reminder's own time is
# in settings (NOTIFICATIONS_TIMES), so the schedule never needs editing.
app.conf.beat_schedule = {
    "notifications-sweep": {
        "task": "notifications.sweep",
        "schedule": crontab(minute=f"*/{_sweep_minutes()}"),
        "options": {"expires": 4 * 60},  # a sweep stuck in the queue is replaced by the next
    },
}

# Appraisal (appraisal app): one candidate incident per cadre-night from the roster's signals
# (missed check-ins, absent spot checks, far check-ins), each morning after the night's
# check-in window has closed. Idempotent; nothing is confirmed automatically.
app.conf.beat_schedule["appraisal-violation-candidates"] = {
    "task": "appraisal.violation_candidates_sync",
    "schedule": crontab(hour=7, minute=15),
    "options": {"expires": 6 * 60 * 60},
}

# Exports (residency.exports): delete the files of expired download links, each night.
app.conf.beat_schedule["exports-purge-expired"] = {
    "task": "residency.exports_purge_expired",
    "schedule": crontab(hour=3, minute=30),
    "options": {"expires": 6 * 60 * 60},
}
