"""Internal working state of the roster planner for one township (pure, no Django).

:class:`TownshipState` indexes a ``PlanInput`` (see ``residency/roster/planner/__init__.py``) and holds the
plan being built as ``at[cadre_id] = {night: village_id}``, with the coverage counts kept in
step. It knows the cost of each cadre's nights and of each (village, night)'s coverage, so
moves can be priced by recomputing only what they touch. The full objective is
``sum(cadre_cost) + sum(coverage cost)``, defined in ``residency/roster/planner/cost.py``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from residency.roster.planner import cost as pc

if TYPE_CHECKING:
    from residency.roster.planner import PlanInput

_ONE_DAY = timedelta(days=1)


class TownshipState:
    """Indexed input plus the mutable plan of one township for one week."""

    def __init__(self, inp: PlanInput) -> None:
        self.nights: list[date] = sorted(set(inp.nights))
        night_set = set(self.nights)
        self.heavy: frozenset[date] = frozenset(inp.heavy_nights) & night_set
        self.frozen: frozenset[date] = frozenset(
            n for n in self.nights if inp.frozen_before is not None and n < inp.frozen_before
        )
        self.village_ids: list[int] = sorted(v.id for v in inp.villages)
        self.village_name: dict[int, str] = {v.id: v.name for v in inp.villages}
        self.beds: dict[int, int] = {v.id: max(1, v.beds) for v in inp.villages}
        cadres = sorted(inp.cadres, key=lambda c: c.id)
        self.cadre_ids: list[int] = [c.id for c in cadres]
        self.home: dict[int, int] = {c.id: c.village_id for c in cadres}
        self.heavy_count: dict[int, int] = {c.id: c.heavy_count for c in cadres}
        self.members: dict[int, list[int]] = {v: [] for v in self.village_ids}
        for c in cadres:
            self.members.setdefault(c.village_id, []).append(c.id)
        self.leave: dict[int, frozenset[date]] = {c.id: frozenset(c.leave) for c in cadres}
        self.ncost: dict[int, dict[date, int]] = {
            c.id: {
                n: pc.night_cost(n.weekday(), c.preferred_weekdays, c.avoided_weekdays)
                for n in self.nights
            }
            for c in cadres
        }
        # Must stay at least once: has a workday night of the week not on leave.
        self.required: set[int] = {
            c.id for c in cadres if any(n not in c.leave for n in self.nights)
        }
        self.boundary: dict[int, frozenset[date]] = {}
        for cid, night in inp.boundary_nights:
            self.boundary[cid] = self.boundary.get(cid, frozenset()) | {night}

        self.at: dict[int, dict[date, int]] = {cid: {} for cid in self.cadre_ids}
        self.count: dict[tuple[int, date], int] = {
            (v, n): 0 for v in self.village_ids for n in self.nights
        }
        # Locked stays never move: the admin's fixed stays and any stay on a past night.
        self.locked: set[tuple[int, date]] = set()
        self.kept: list = []  # the original Stay objects of locked stays, output verbatim
        for stay in inp.fixed:
            self._lock(stay)
        self.prev: dict[int, dict[date, int]] = {cid: {} for cid in self.cadre_ids}
        for stay in sorted(inp.previous, key=lambda s: (s.night, s.cadre_id, s.village_id)):
            if stay.cadre_id not in self.at:
                continue
            if stay.night in self.frozen or (
                inp.frozen_before is not None and stay.night < inp.frozen_before
            ):
                if (stay.cadre_id, stay.night) not in self.locked:
                    self._lock(stay)
            elif stay.night in night_set:
                self.prev[stay.cadre_id][stay.night] = stay.village_id

    def _lock(self, stay) -> None:
        key = (stay.cadre_id, stay.night)
        if key in self.locked or stay.cadre_id not in self.at:
            return
        self.locked.add(key)
        self.kept.append(stay)
        self.add(stay.cadre_id, stay.village_id, stay.night)

    # -- mutation -------------------------------------------------------------------
    def add(self, cid: int, vid: int, night: date) -> None:
        """Plan cadre ``cid`` at village ``vid`` on ``night``."""
        self.at[cid][night] = vid
        key = (vid, night)
        if key in self.count:
            self.count[key] += 1

    def remove(self, cid: int, night: date) -> int:
        """Unplan cadre ``cid`` on ``night``; returns the village it was at."""
        vid = self.at[cid].pop(night)
        key = (vid, night)
        if key in self.count:
            self.count[key] -= 1
        return vid

    # -- queries --------------------------------------------------------------------
    def can_stay(self, cid: int, night: date) -> bool:
        """True if the planner may newly put ``cid`` on ``night`` (free, not on leave, not past)."""
        return (
            night not in self.frozen and night not in self.leave[cid] and night not in self.at[cid]
        )

    def movable(self, cid: int, night: date) -> bool:
        """True if the planner may move or drop the stay of ``cid`` on ``night``."""
        return (cid, night) not in self.locked

    def cadre_cost(self, cid: int) -> int:
        """Every cost term that depends only on this cadre's nights (see planner_cost)."""
        stays = self.at[cid]
        if not stays:
            cost = pc.MISSING_MIN_COST if cid in self.required else 0
        else:
            home = self.home[cid]
            ncost = self.ncost[cid]
            cost = 0
            heavy = 0
            for night, vid in stays.items():
                cost += ncost.get(night, 0)
                if vid != home:
                    cost += pc.BORROW_COST
                if night in self.heavy:
                    heavy += 1
            if heavy:
                cost += pc.heavy_cost(self.heavy_count[cid], heavy)
            if len(stays) > 1 or cid in self.boundary:
                cost += pc.CONSECUTIVE_COST * self.consecutive(cid)
        prev = self.prev[cid]
        if prev:
            cost += pc.CHANGE_COST * sum(1 for n, v in prev.items() if stays.get(n) != v)
        return cost

    def consecutive(self, cid: int) -> int:
        """Consecutive-night pairs of this cadre, across the week boundary too."""
        return pc.consecutive_pairs(self.at[cid], self.boundary.get(cid, ()))

    def cell_cost(self, key: tuple[int, date], delta: int = 0) -> int:
        """Coverage cost of the (village, night) ``key`` with ``delta`` cadres more."""
        return pc.coverage_cost(self.count[key] + delta, self.beds.get(key[0], pc.DEFAULT_BEDS))

    def objective(self) -> int:
        """The full objective of the current plan."""
        total = sum(self.cadre_cost(cid) for cid in self.cadre_ids)
        return total + sum(self.cell_cost(key) for key in self.count)

    def crowded(self) -> list[tuple[int, date, int]]:
        """(village, night, cadres) of nights with more cadres than the office's beds."""
        return sorted(
            ((v, n, k) for (v, n), k in self.count.items() if k > self.beds.get(v, pc.DEFAULT_BEDS)),
            key=lambda x: (x[1], x[0]),
        )

    def gaps(self) -> list[tuple[int, date]]:
        """Uncovered (village, night) pairs, by night then village."""
        return sorted(
            ((v, n) for (v, n), k in self.count.items() if k == 0), key=lambda x: (x[1], x[0])
        )
