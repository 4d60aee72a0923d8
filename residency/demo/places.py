"""Where the demo's village offices stand: around Tongxiang (30.5-30.8 N, 120.3-120.7 E),
each township a cluster on a 4 x 3 grid over that box, each village a fixed offset from
its township's centre. Deterministic (no random state): the same codes give the same
points on every run, and the other demo draws are not disturbed."""
from __future__ import annotations

import hashlib
from decimal import Decimal

SOUTH, NORTH = Decimal("30.5"), Decimal("30.8")
WEST, EAST = Decimal("120.3"), Decimal("120.7")
COLUMNS, ROWS = 4, 3
STEP = Decimal("0.000001")


def _unit(key: str) -> Decimal:
    """A fixed number in [0, 1) from ``key``."""
    digest = hashlib.sha256(key.encode()).digest()
    return Decimal(int.from_bytes(digest[:6], "big")) / Decimal(2 ** 48)


def office_position(township_index: int, village_key: str) -> tuple[Decimal, Decimal]:
    """(latitude, longitude) of a demo village office; ``township_index`` counts from 0."""
    col, row = township_index % COLUMNS, (township_index // COLUMNS) % ROWS
    cell_w = (EAST - WEST) / COLUMNS
    cell_h = (NORTH - SOUTH) / ROWS
    # Inside the township's cell, away from its edges (10% margin).
    lat = SOUTH + cell_h * (row + Decimal("0.1") + Decimal("0.8") * _unit("lat:" + village_key))
    lon = WEST + cell_w * (col + Decimal("0.1") + Decimal("0.8") * _unit("lon:" + village_key))
    return lat.quantize(STEP), lon.quantize(STEP)


def demo_checkin(stay_key: str, office: tuple[Decimal | None, Decimal | None]) -> dict:
    """Check-in position fields for a demo stay (``CheckinPosition`` assessed against the
    office): most phones within 200 m of the office, about 1 in 40 two to five kilometres
    away (flagged far), about 1 in 25 with the position refused."""
    from residency.roster.services.position import CheckinPosition

    pick = _unit("pick:" + stay_key)
    if office[0] is None or pick < Decimal("0.04"):
        return {"position": CheckinPosition(status="denied")}
    metres = (Decimal(2000) + 3000 * _unit("far:" + stay_key) if pick < Decimal("0.065")
              else 200 * _unit("near:" + stay_key))
    # Northward offset is enough for a believable figure: 1 degree of latitude ~ 111.2 km.
    lat = float(office[0]) + float(metres) / 111_195.0
    accuracy = 8 + int(40 * _unit("acc:" + stay_key))
    return {"position": CheckinPosition(status="ok", latitude=lat, longitude=float(office[1]),
                                        accuracy_m=accuracy)}
