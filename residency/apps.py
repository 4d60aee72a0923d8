from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidencyConfig(AppConfig):
    name = "residency"
    verbose_name = _("住村")

    def ready(self) -> None:
        from residency.access import (
            idle,  # noqa: F401  (the login starts the idle clock)
            scope_cache,  # noqa: F401  (receivers that forget scopes)
        )
        from residency.audit import signals  # noqa: F401  (audit receivers)
        from residency.exports import (  # noqa: F401  (roster exports; the worker's tasks)
            kinds,
            tasks,
        )
