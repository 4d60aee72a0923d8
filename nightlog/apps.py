from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NightlogConfig(AppConfig):
    name = "nightlog"
    verbose_name = _("民情夜记")
