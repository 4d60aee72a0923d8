from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("评议")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects to residency.events)
