from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NightlogConfig(AppConfig):
    name = "nightlog"
    verbose_name = _("民情夜记")

    def ready(self) -> None:
        """Plug into residency: the household import kind, the households of the demo
        directory and the demo step, role permissions, audit labels, home cards."""
        from residency.access.roles import Role, grant
        from residency.audit.labels import register_labels
        from residency.demo import register_directory_extra, register_step
        from residency.web import register_home_cards

        from .audit_actions import AUDIT_ACTIONS
        from .demo import seed_households
        from .export_kinds import register as register_exports
        from .importing import register

        register()
        for role in (Role.PROVINCE_VIEWER, Role.ORG_DEPARTMENT, Role.TOWNSHIP_ADMIN, Role.CADRE):
            grant(role, "nightlog.view_household")
        grant(Role.TOWNSHIP_ADMIN, "nightlog.add_household", "nightlog.change_household")
        register_labels(AUDIT_ACTIONS)
        register_directory_extra(seed_households)
        register_step("nightlog.demo.seed")
        register_home_cards("nightlog/_home_{role}.html")
        register_exports()
        from nightlog import receivers  # noqa: F401  (residency's station_ended -> end the ties)
