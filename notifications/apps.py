from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("消息提醒")

    def ready(self) -> None:
        from residency.web import register_home_cards

        from . import (
            receivers,  # noqa: F401  (connects the domain-event receivers)
            tasks,  # noqa: F401  (registers the delivery task with enqueue)
        )

        register_home_cards("notifications/_home.html")
