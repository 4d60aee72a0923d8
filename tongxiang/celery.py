"""The Celery app. Each Django app's ``tasks.py`` is autodiscovered.

With no ``REDIS_URL`` the settings make every task run in-process
(``task_always_eager``), so ``make run`` needs no broker.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxiang.settings.local")

app = Celery("tongxiang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
