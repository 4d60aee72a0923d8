"""Ending a station (调离): the one place that announces it, so that later apps follow.

nightlog listens to ``events.station_ended`` and ends the cadre's household links in the
old village on the same day (residency never imports nightlog)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residency import audit, events
from residency.models import Station


def announce_stations_ended(stations: Iterable[Station]) -> None:
    """After commit, send ``station_ended`` for each station (its ``end`` set)."""
    payload = [(s.pk, s.cadre_id, s.village_id, s.end) for s in stations if s.end is not None]
    for station_id, cadre_id, village_id, end in payload:
        transaction.on_commit(lambda a=station_id, b=cadre_id, c=village_id, d=end:
                              events.station_ended.send(sender=Station, station_id=a, cadre_id=b,
                                                        village_id=c, end=d))


@transaction.atomic
def station_end(*, station: Station, end: date, by=None) -> Station:
    """Close an open station on ``end`` (the last day in that village)."""
    locked = Station.objects.select_for_update().get(pk=station.pk)
    if locked.end is not None:
        raise ValidationError(_("该驻村安排已于 %(d)s 结束。") % {"d": locked.end.isoformat()})
    if end < locked.start:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    locked.end = end
    locked.full_clean()
    locked.save(update_fields=["end"])
    audit.record("station_end", obj=locked, user=by, end=end.isoformat())
    announce_stations_ended([locked])
    return locked
