"""The incident builder, as a pure function of plain values (no ORM).

The ladder's "一次" is one incident: one rostered workday night that the cadre did not
reside, not covered by approved leave or an approved swap (DOMAIN.md, rule R3). Signals
(a missed check-in, a spot check that found him absent, a check-in far from the village
office) are evidence attached to the night's incident, never a second one. A signal
produces nothing when the cadre is inactive, the night is outside his station periods, he
is on approved leave that night, he gave the night away by an approved swap, or he was not
on duty in the signal's village that night.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

MISSED_CHECKIN = "missed_checkin"
SPOT_CHECK_ABSENT = "spot_check_absent"
FAR_CHECKIN = "far_checkin"
KINDS = (MISSED_CHECKIN, SPOT_CHECK_ABSENT, FAR_CHECKIN)


@dataclass(frozen=True, order=True)
class Signal:
    cadre_id: int
    night: date
    kind: str
    source_id: int
    village_id: int | None = None
    description: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.source_id)


@dataclass(frozen=True)
class Period:
    """A closed date range; ``end`` None is open-ended."""

    start: date
    end: date | None = None

    def __contains__(self, night: date) -> bool:
        return self.start <= night and (self.end is None or night <= self.end)


@dataclass(frozen=True)
class Context:
    active: frozenset[int] = frozenset()
    stations: Mapping[int, tuple[Period, ...]] = field(default_factory=dict)
    leave: Mapping[int, tuple[Period, ...]] = field(default_factory=dict)
    swapped_away: frozenset[tuple[int, date]] = frozenset()
    # (village_id, night) -> cadres on duty there (``residency.roster.duty.duty_map``)
    on_duty: Mapping[tuple[int, date], frozenset[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Incident:
    cadre_id: int
    night: date
    signals: tuple[Signal, ...]

    @property
    def key(self) -> tuple[int, date]:
        return (self.cadre_id, self.night)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k in KINDS if any(s.kind == k for s in self.signals))


def counts(signal: Signal, ctx: Context) -> bool:
    """Whether ``signal`` points at a night the cadre owed and did not reside."""
    if signal.kind not in KINDS:
        return False
    cadre, night = signal.cadre_id, signal.night
    if cadre not in ctx.active:
        return False
    if not any(night in p for p in ctx.stations.get(cadre, ())):
        return False
    if any(night in p for p in ctx.leave.get(cadre, ())):
        return False
    if (cadre, night) in ctx.swapped_away:
        return False
    if signal.village_id is not None and cadre not in ctx.on_duty.get((signal.village_id, night), ()):
        return False
    return True


def build_incidents(signals: Iterable[Signal], ctx: Context) -> list[Incident]:
    """One incident per (cadre, night) that at least one counting signal points at, with
    its signals (each source record once), ordered by night then cadre."""
    grouped: dict[tuple[int, date], dict[tuple[str, int], Signal]] = {}
    for signal in signals:
        if counts(signal, ctx):
            grouped.setdefault((signal.cadre_id, signal.night), {}).setdefault(signal.key, signal)
    return [Incident(cadre, night, tuple(sorted(found.values(), key=lambda s: s.key)))
            for (cadre, night), found in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0]))]
