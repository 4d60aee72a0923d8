"""Where the phone was at check-in, measured against the village office.

The browser (static/js/checkin_position.js) posts ``latitude``, ``longitude``,
``accuracy`` and ``position_status``; without JavaScript it posts nothing. ``parse``
turns the form's strings into a ``CheckinPosition`` (bad numbers are treated as no
position, never an error: the check-in itself must not fail), and ``assess`` gives the
Stay fields to store."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from residency.models import PositionStatus, Village
from residency.roster.geo import haversine_m, valid_position

MAX_ACCURACY_M = 100_000
_BROWSER_ERRORS = {PositionStatus.DENIED, PositionStatus.UNAVAILABLE, PositionStatus.TIMEOUT}


@dataclass(frozen=True)
class CheckinPosition:
    status: str = PositionStatus.NONE
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None


def far_radius_m() -> int:
    return int(getattr(settings, "CHECKIN_FAR_RADIUS_M", 500))


def _number(value) -> float | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def parse(data) -> CheckinPosition:
    """The position posted with the check-in form (a QueryDict or dict)."""
    status = str(data.get("position_status", "") or "").strip()
    if status in _BROWSER_ERRORS:
        return CheckinPosition(status=status)
    lat, lon = _number(data.get("latitude")), _number(data.get("longitude"))
    if status != PositionStatus.OK or lat is None or lon is None or not valid_position(lat, lon):
        return CheckinPosition()
    accuracy = _number(data.get("accuracy"))
    if accuracy is not None and not 0 <= accuracy <= MAX_ACCURACY_M:
        accuracy = None
    return CheckinPosition(status=PositionStatus.OK, latitude=lat, longitude=lon,
                           accuracy_m=accuracy)


def _degrees(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def assess(position: CheckinPosition, village: Village) -> dict:
    """The ``Stay`` check-in fields for ``position`` at ``village``'s office. The distance
    (and so the far flag) needs both the position and the office's coordinates."""
    fields = {"checkin_position_status": position.status, "checkin_latitude": None,
              "checkin_longitude": None, "checkin_accuracy_m": None,
              "checkin_distance_m": None, "checkin_far": False}
    if position.status != PositionStatus.OK:
        return fields
    fields.update(checkin_latitude=_degrees(position.latitude),
                  checkin_longitude=_degrees(position.longitude),
                  checkin_accuracy_m=(None if position.accuracy_m is None
                                      else round(position.accuracy_m)))
    if village.latitude is not None and village.longitude is not None:
        distance = round(haversine_m(position.latitude, position.longitude,
                                     float(village.latitude), float(village.longitude)))
        fields.update(checkin_distance_m=distance, checkin_far=distance > far_radius_m())
    return fields
