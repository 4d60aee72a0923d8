"""Every write of the notifications app (re-exported here)."""
from .create import notifications_create
from .deliver import DeliveryFailed, DeliveryResult, deliveries_due, notification_deliver
from .digest import digests_create
from .inbox import notification_mark_read, notifications_mark_all_read, preferences_update
from .sweep import SweepResult, reminders_sweep

__all__ = [
    "DeliveryFailed",
    "DeliveryResult",
    "SweepResult",
    "deliveries_due",
    "digests_create",
    "notification_deliver",
    "notification_mark_read",
    "notifications_create",
    "notifications_mark_all_read",
    "preferences_update",
    "reminders_sweep",
]
