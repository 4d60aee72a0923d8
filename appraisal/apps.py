from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("评议")

    def ready(self) -> None:
        """Connect to residency's events; plug audit labels, the demo step and the home
        cards into residency."""
        from residency.audit.labels import register_labels
        from residency.demo import register_step
        from residency.web import register_home_cards

        from . import receivers  # noqa: F401  (connects to residency.events)
        from .audit_actions import AUDIT_ACTIONS
        from .export_kinds import register as register_exports

        register_labels(AUDIT_ACTIONS)
        register_step("appraisal.demo.seed")
        register_home_cards("appraisal/_home_{role}.html")
        register_exports()
