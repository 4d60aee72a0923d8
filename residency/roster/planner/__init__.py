"""The night-residence roster planner (DOMAIN.md rule R1): plain values in, plain values out.

No Django, no ORM, no randomness: the same input always gives the same plan. One
:class:`PlanInput` is one township for one ISO week (townships are independent problems).

Interface::

    Village(id: int, name: str, beds: int = 2)   # beds at the village office for 住夜
    Cadre(id: int, name: str, village_id: int, leave: frozenset[date] = frozenset(),
          preferred_weekdays: frozenset[int] = frozenset(),   # 0 = Monday
          avoided_weekdays: frozenset[int] = frozenset(),
          heavy_count: int = 0)       # heavy nights already had this year (fairness carry-over)
    Stay(cadre_id: int, village_id: int, night: date, borrowed: bool = False, pinned: bool = False)
    PlanInput(nights: list[date],                 # the week's workday nights
              heavy_nights: frozenset[date],      # Fridays and nights before a non-workday
              villages: list[Village], cadres: list[Cadre],
              fixed: list[Stay] = [],             # pinned by the admin: kept exactly
              previous: list[Stay] = [],          # the published plan: change as little as possible
              boundary_nights: frozenset[tuple[int, date]] = frozenset(),  # (cadre_id, night)
                                                  # stays just before/after the week
              frozen_before: date | None = None)  # nights before it are past: never change
    Gap(village_id: int, night: date, reason: str)          # reason in Chinese
    Crowded(village_id: int, night: date, cadres: int, beds: int, reason: str)
    PlanResult(stays: list[Stay], gaps: list[Gap], objective: float,
               borrowed: int, changed: int, consecutive: int,
               crowded: list[Crowded] = [])     # nights over the beds, with the reason
    plan(inp: PlanInput) -> PlanResult
    plan_many(inputs: Iterable[PlanInput], workers: int = 1, executor=None) -> list[PlanResult]
                                                  # townships in parallel processes
    pool(workers) -> ProcessPoolExecutor          # to reuse over many calls of plan_many

Hard rules: every (village, workday night) has a cadre, else it is reported in ``gaps``
with the reason; each cadre has at most two nights in the week and at least one when he
or she has a workday night not on leave; nobody is planned on leave, on a night already
taken, or on a past night; fixed stays and past stays are returned unchanged. A cadre of
another village of the township is borrowed (``borrowed=True``) only for a night the
village's own cadres cannot cover. No (village, night) has more cadres than the village
office's ``beds`` unless the two rules above cannot be kept otherwise (e.g. more cadres
than beds times nights, or fixed stays): such nights are reported in ``crowded`` with the
reason.

Soft costs (``residency/roster/planner/cost.py``): consecutive nights (across the week boundary
too), heavy nights by a convex cost in ``heavy_count``, avoided / not preferred weekdays,
dropping previously published stays, extra cadres on the same night (convex in their
number, so they are spread over the village's nights).

Method: per village an exact min-cost flow (``planner_flow``) that is optimal for every
cost except consecutive nights; then borrowing for the gaps left and a local-search
repair of consecutive nights (``planner_search``); finally an improvement phase that
re-plans, exactly and consecutive nights included, every village the flow no longer
vouches for (a dynamic programme over its cadres), alternating with moves of the borrowed
stays (move, drop, hand over to another lender, swap with an own cadre).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from residency.roster.planner import cost as pc
from residency.roster.planner.flow import assign_village
from residency.roster.planner.improve import improve
from residency.roster.planner.search import (
    borrow,
    drop_redundant,
    ensure_minimum,
    needy_villages,
    repair,
)
from residency.roster.planner.state import TownshipState

__all__ = [
    "Cadre",
    "Crowded",
    "Gap",
    "PlanInput",
    "PlanResult",
    "Stay",
    "Village",
    "evaluate",
    "plan",
    "plan_many",
    "pool",
]


@dataclass(frozen=True, slots=True)
class Village:
    """An administrative village of the township."""

    id: int
    name: str
    beds: int = 2


@dataclass(frozen=True, slots=True)
class Cadre:
    """A township cadre stationed in one village."""

    id: int
    name: str
    village_id: int
    leave: frozenset[date] = frozenset()
    preferred_weekdays: frozenset[int] = frozenset()
    avoided_weekdays: frozenset[int] = frozenset()
    heavy_count: int = 0


@dataclass(frozen=True, slots=True)
class Stay:
    """One cadre staying one night at one village office."""

    cadre_id: int
    village_id: int
    night: date
    borrowed: bool = False
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Gap:
    """A workday night of a village left without a cadre, with the reason in Chinese."""

    village_id: int
    night: date
    reason: str


@dataclass(frozen=True, slots=True)
class Crowded:
    """A (village, night) with more cadres than the village office's beds, and why."""

    village_id: int
    night: date
    cadres: int
    beds: int
    reason: str


@dataclass(frozen=True, slots=True)
class PlanInput:
    """One township, one week."""

    nights: list[date]
    heavy_nights: frozenset[date]
    villages: list[Village]
    cadres: list[Cadre]
    fixed: list[Stay] = field(default_factory=list)
    previous: list[Stay] = field(default_factory=list)
    boundary_nights: frozenset[tuple[int, date]] = frozenset()
    frozen_before: date | None = None


@dataclass(frozen=True, slots=True)
class PlanResult:
    """The plan: every stay of the week (fixed ones included) and the uncovered nights."""

    stays: list[Stay]
    gaps: list[Gap]
    objective: float
    borrowed: int
    changed: int
    consecutive: int
    crowded: list[Crowded] = field(default_factory=list)


def plan(inp: PlanInput) -> PlanResult:
    """Plan one township's week; deterministic.

    A fresh plan is built; when a published plan exists, a second plan is built from its
    still-valid stays, and the cheaper of the two (counting the cost of changes) wins,
    ties going to the published plan.
    """
    state = TownshipState(inp)
    for vid in state.village_ids:
        assign_village(state, vid)
    needy = needy_villages(state)
    _borrow_by_flow(state, needy, clear=True)
    flow = {cid: dict(state.at[cid]) for cid in state.cadre_ids}
    _finish(state, needy, flow)
    if any(state.prev.values()):
        kept = TownshipState(inp)
        for cid, vid, night in _still_valid(kept, needy):
            kept.add(cid, vid, night)
        for vid in kept.village_ids:
            assign_village(kept, vid)
        _borrow_by_flow(kept, needy, clear=False)
        _finish(kept, needy, None)
        if kept.objective() <= state.objective():
            state = kept
    return _result(state)


def _borrow_by_flow(state: TownshipState, needy: set[int], clear: bool) -> None:
    """Re-plan each needy village together with the free slots of other villages' cadres.

    With ``clear`` the village's own movable stays are planned again from scratch, so the
    flow chooses which nights to borrow for and from whom, at the best total cost.
    """
    for vid in sorted(needy):
        if clear:
            for cid in state.members.get(vid, []):
                for night, at in list(state.at[cid].items()):
                    if at == vid and state.movable(cid, night):
                        state.remove(cid, night)
        helpers = [
            c
            for c in state.cadre_ids
            if state.home[c] not in needy and len(state.at[c]) < pc.MAX_NIGHTS
        ]
        assign_village(state, vid, helpers)


def _finish(state: TownshipState, needy: set[int], flow: dict[int, dict[date, int]] | None) -> None:
    """Borrow, repair, then improve the villages the exact flow no longer vouches for.

    ``flow`` is the plan right after the flows (per village, then the needy villages with
    the lenders' free slots). A village is re-planned if one of its cadres or one of the
    stays made there changed since, or a cadre of it has two consecutive nights in the
    week (pairs with boundary nights the flow prices exactly); the others are optimal for
    their own part as the flow left them. All villages when ``flow`` is None.
    """
    borrow(state, needy)
    ensure_minimum(state)
    drop_redundant(state)
    bad = [c for c in state.cadre_ids if len(state.at[c]) and state.consecutive(c)]
    if bad:
        repair(state, bad)
    if flow is None:
        dirty = set(state.village_ids)
    else:
        dirty = set()
        for cid in state.cadre_ids:
            at, before = state.at[cid], flow[cid]
            if at != before or pc.consecutive_pairs(at):
                dirty.add(state.home[cid])
                dirty.update(v for n, v in at.items() if before.get(n) != v)
                dirty.update(v for n, v in before.items() if at.get(n) != v)
    improve(state, needy, dirty & set(state.village_ids))


def _still_valid(state: TownshipState, needy: set[int]) -> list[tuple[int, int, date]]:
    """Published future stays that can still stand (borrowed ones only where still needed)."""
    out = []
    for cid in state.cadre_ids:
        room = pc.MAX_NIGHTS - len(state.at[cid])
        for night, vid in sorted(state.prev[cid].items()):
            if room <= 0 or not state.can_stay(cid, night) or (vid, night) not in state.count:
                continue
            if vid != state.home[cid] and vid not in needy:
                continue
            out.append((cid, vid, night))
            room -= 1
    return out


def plan_many(
    inputs: Iterable[PlanInput], workers: int = 1, executor: Executor | None = None
) -> list[PlanResult]:
    """Plan several independent townships; results in the order of ``inputs``.

    Townships are independent, so with ``workers`` > 1 (or an ``executor``, e.g. a
    ``ProcessPoolExecutor`` kept over many weeks) they are planned in parallel processes,
    in chunks to keep the pickling cheap. The plans are the same as in one process.
    """
    global _FORKED
    inputs = list(inputs)
    if executor is None and (workers <= 1 or len(inputs) < 2):
        return [plan(inp) for inp in inputs]
    if executor is not None:
        chunks = _chunks(inputs, 4 * max(workers, 2))
        parts = list(executor.map(_plan_chunk, chunks))
        return [r for part in parts for r in part]
    context = _context()
    if context.get_start_method() == "fork":
        # The forked workers inherit the inputs: only index ranges and results are pickled.
        _FORKED = inputs
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                ranges = _chunks(list(range(len(inputs))), 4 * workers)
                parts = list(pool.map(_plan_forked, [(r[0], r[-1] + 1) for r in ranges]))
        finally:
            _FORKED = []
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = list(pool.map(_plan_chunk, _chunks(inputs, 4 * workers)))
    return [r for part in parts for r in part]


_FORKED: list[PlanInput] = []


def _plan_forked(bounds: tuple[int, int]) -> list[PlanResult]:
    return [plan(inp) for inp in _FORKED[bounds[0] : bounds[1]]]


def pool(workers: int) -> ProcessPoolExecutor:
    """A process pool for :func:`plan_many` (fork where available: no re-import)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context())


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _chunks(items: list, parts: int) -> list[list]:
    size = max(1, -(-len(items) // parts))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _plan_chunk(inputs: list[PlanInput]) -> list[PlanResult]:
    return [plan(inp) for inp in inputs]


def evaluate(inp: PlanInput, stays: Iterable[Stay]) -> int:
    """The objective of any complete set of stays for ``inp`` (fixed stays included)."""
    state = TownshipState(
        PlanInput(
            nights=inp.nights,
            heavy_nights=inp.heavy_nights,
            villages=inp.villages,
            cadres=inp.cadres,
            fixed=list(stays),
            previous=inp.previous,
            boundary_nights=inp.boundary_nights,
            frozen_before=None,
        )
    )
    return state.objective()


def _result(state: TownshipState) -> PlanResult:
    kept = {(s.cadre_id, s.night): s for s in state.kept}
    stays: list[Stay] = []
    borrowed = consecutive = changed = 0
    for cid in state.cadre_ids:
        home = state.home[cid]
        for night, vid in state.at[cid].items():
            stay = kept.get((cid, night))
            if stay is None:
                stay = Stay(cid, vid, night, borrowed=vid != home)
            stays.append(stay)
            borrowed += vid != home
        consecutive += state.consecutive(cid)
        changed += sum(1 for n, v in state.prev[cid].items() if state.at[cid].get(n) != v)
    stays.sort(key=lambda s: (s.night, s.village_id, s.cadre_id))
    gaps = [Gap(v, n, _reason(state, v, n)) for v, n in state.gaps()]
    return PlanResult(
        stays=stays,
        gaps=gaps,
        objective=float(state.objective()),
        borrowed=borrowed,
        changed=changed,
        consecutive=consecutive,
        crowded=[
            Crowded(v, n, k, state.beds[v], _crowded_reason(state, v, n, k))
            for v, n, k in state.crowded()
        ],
    )


def _reason(state: TownshipState, vid: int, night: date) -> str:
    name = state.village_name.get(vid, str(vid))
    head = f"{name} {night.month}月{night.day}日: "
    if night in state.frozen:
        return head + "已过去的夜晚无人住夜, 无法再安排"
    members = state.members.get(vid, [])
    available = sum(1 for c in members if night not in state.leave[c])
    on_leave = len(members) - available
    to_cover = sum(1 for n in state.nights if n not in state.frozen)
    text = f"{available} 名可用干部, 本周需覆盖 {to_cover} 晚, 每人最多 {pc.MAX_NIGHTS} 晚"
    if on_leave:
        text += f" (另有 {on_leave} 名当晚请假)"
    return head + text + "; 同镇无空闲干部可借调"


def _crowded_reason(state: TownshipState, vid: int, night: date, cadres: int) -> str:
    """Why ``cadres`` cadres stay at ``vid`` on ``night``, more than its beds (Chinese)."""
    name = state.village_name.get(vid, str(vid))
    beds = state.beds[vid]
    head = f"{name} {night.month}月{night.day}日: {cadres} 人住夜, 村部只有 {beds} 个床位; "
    locked = sum(
        1 for c in state.cadre_ids if state.at[c].get(night) == vid and not state.movable(c, night)
    )
    if locked > beds:
        return head + f"其中 {locked} 人是已锁定或已过去的住夜"
    members = state.members.get(vid, [])
    open_nights = [n for n in state.nights if n not in state.frozen]
    only = sum(
        1
        for c in members
        if state.at[c].get(night) == vid
        and not any(n != night and n not in state.leave[c] for n in open_nights)
    )
    text = (
        f"本村 {len(members)} 名干部每人每周至少住 1 晚, "
        f"本周可排的 {len(open_nights)} 晚共 {beds * len(open_nights)} 个床位"
    )
    if only:
        text += f", 其中 {only} 人本周只有当晚可排 (其余夜晚请假)"
    return head + text
