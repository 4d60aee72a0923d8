"""Listening to residency's events (residency never imports nightlog)."""
from __future__ import annotations

from django.dispatch import receiver

from residency import events


@receiver(events.station_ended, dispatch_uid="nightlog.station_ended_links")
def on_station_ended(sender, cadre_id=None, village_id=None, end=None, **kwargs) -> None:
    """A cadre leaves a village: his or her ties to its households end the same day, so
    they no longer count towards the five (R2)."""
    from .services import links_end_for_station

    links_end_for_station(cadre_id=cadre_id, village_id=village_id, end=end)
