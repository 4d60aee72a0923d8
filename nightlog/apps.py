from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NightlogConfig(AppConfig):
    name = "nightlog"
    verbose_name = _("民情夜记")

    def ready(self) -> None:
        # The household kind of residency's spreadsheet import (nightlog/importing.py).
        from .importing import register

        register()
        from . import receivers  # noqa: F401  (residency's station_ended -> end the ties)
