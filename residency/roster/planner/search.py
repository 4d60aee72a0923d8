"""Borrowing across villages and local-search repair of the roster (pure, no Django).

After every village has been planned with its own cadres (``planner_flow``), any night
still uncovered could not be covered by the village's own cadres. :func:`borrow` then
fills such gaps with a cadre stationed elsewhere in the township, cheapest first, by one
of three moves:

* the cadre has a free night slot (fewer than two nights);
* the cadre drops a stay that another cadre also covers;
* a team-mate with a free slot takes over one of the cadre's stays (a two-step chain).

:func:`repair` then removes consecutive nights (the one cost the flow cannot see) by
moving a night, handing it to a team-mate, swapping with a team-mate or dropping a
redundant night, taking the best improving move until none is left.

The improvement phase that follows is in ``improve``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from residency.roster.planner import cost as pc
from residency.roster.planner.state import TownshipState

Move = Callable[[], None]


def price_of(state: TownshipState, cadres: list[int], cells: list[tuple[int, date]]) -> int:
    cost = sum(state.cadre_cost(c) for c in cadres)
    return cost + sum(state.cell_cost(k) for k in cells if k in state.count)


def _try(
    state: TownshipState,
    cadres: list[int],
    cells: list[tuple[int, date]],
    do: list[tuple],
) -> int:
    """Price applying ``do`` (("add", c, v, n) / ("remove", c, n)) and undo it; returns the delta."""
    before = price_of(state, cadres, cells)
    undo = apply_ops(state, do)
    after = price_of(state, cadres, cells)
    apply_ops(state, undo)
    return after - before


def apply_ops(state: TownshipState, ops: list[tuple]) -> list[tuple]:
    undo: list[tuple] = []
    for op in ops:
        if op[0] == "add":
            _, c, v, n = op
            state.add(c, v, n)
            undo.append(("remove", c, n))
        else:
            _, c, n = op
            v = state.remove(c, n)
            undo.append(("add", c, v, n))
    undo.reverse()
    return undo


def needy_villages(state: TownshipState) -> set[int]:
    """Villages left with a gap by their own cadres: the only ones that may borrow."""
    return {vid for vid, night in state.gaps() if night not in state.frozen}


def borrow(state: TownshipState, needy: set[int]) -> int:
    """Cover what gaps can be covered by cadres of other villages; returns stays borrowed."""
    borrowed = 0
    progress = True
    while progress:
        progress = False
        for vid, night in state.gaps():
            if night in state.frozen or state.count[(vid, night)] > 0:
                continue
            best = _best_borrow(state, vid, night)
            if best is not None:
                apply_ops(state, best)
            elif not _augment(state, (vid, night), needy):
                continue
            borrowed += 1
            progress = True
    return borrowed


def _augment(state: TownshipState, gap: tuple[int, date], needy: set[int]) -> bool:
    """Cover ``gap`` by a shortest chain of re-assignments (an augmenting path); True if done.

    Each step puts a cadre on the cell that needs cover, either taking a free slot, or
    leaving a cell that is covered twice, or leaving a cell that then needs cover in turn.
    Cadres of other villages only go to villages in ``needy`` (those their own cadres
    cannot cover). This makes coverage maximal, which the cheap moves alone do not.
    """
    parent: dict[tuple[int, date], tuple[tuple[int, date], int, date | None]] = {}
    seen = {gap}
    queue = [gap]
    for cell in queue:
        vid, night = cell
        if night in state.frozen:
            continue
        for cid in state.cadre_ids:
            if night in state.leave[cid] or (state.home[cid] != vid and vid not in needy):
                continue
            stays = state.at[cid]
            if night in stays:
                if stays[night] == vid or not state.movable(cid, night):
                    continue
                options = [(stays[night], night)]
            elif len(stays) < pc.MAX_NIGHTS:
                options = [None]
            else:
                options = [(w, m) for m, w in sorted(stays.items()) if state.movable(cid, m)]
            for leave_cell in options:
                step = (cell, cid, None if leave_cell is None else leave_cell[1])
                if leave_cell is None or state.count.get(leave_cell, 0) >= 2:
                    if _apply_chain(state, parent, step):
                        return True
                    continue
                if leave_cell not in seen:
                    seen.add(leave_cell)
                    parent[leave_cell] = step
                    queue.append(leave_cell)
    return False


def _apply_chain(state: TownshipState, parent: dict, last: tuple) -> bool:
    """Apply the chain ending in ``last``; undo and return False if it breaks a hard rule."""
    steps = [last]
    cell = last[0]
    while cell in parent:
        steps.append(parent[cell])
        cell = parent[cell][0]
    removes = [("remove", cid, old) for _, cid, old in steps if old is not None]
    adds = [("add", cid, cell[0], cell[1]) for cell, cid, _ in steps]
    try:
        undo = apply_ops(state, removes)
    except KeyError:
        return False
    done: list[tuple] = []
    ok = True
    for op in adds:
        _, cid, vid, night = op
        if night in state.at[cid] or len(state.at[cid]) >= pc.MAX_NIGHTS:
            ok = False
            break
        done.extend(apply_ops(state, [op]))
    if not ok:
        apply_ops(state, done[::-1])
        apply_ops(state, undo)
    return ok


def _best_borrow(state: TownshipState, vid: int, night: date) -> list[tuple] | None:
    best: tuple[int, int, list[tuple]] | None = None
    gap = (vid, night)
    for order, cid in enumerate(state.cadre_ids):
        home = state.home[cid]
        if home == vid or not state.can_stay(cid, night):
            continue
        stays = state.at[cid]
        options: list[tuple[list[tuple], list[int], list[tuple[int, date]]]] = []
        if len(stays) < pc.MAX_NIGHTS:
            options.append(([("add", cid, vid, night)], [cid], [gap]))
        else:
            for m, w in sorted(stays.items()):
                if not state.movable(cid, m):
                    continue
                if state.count.get((w, m), 0) >= 2:
                    ops = [("remove", cid, m), ("add", cid, vid, night)]
                    options.append((ops, [cid], [gap, (w, m)]))
                    continue
                for mate in state.members.get(w, []):
                    if (
                        mate != cid
                        and len(state.at[mate]) < pc.MAX_NIGHTS
                        and state.can_stay(mate, m)
                    ):
                        ops = [("remove", cid, m), ("add", mate, w, m), ("add", cid, vid, night)]
                        options.append((ops, [cid, mate], [gap, (w, m)]))
        for ops, cadres, cells in options:
            delta = _try(state, cadres, cells, ops)
            if delta < 0 and (best is None or (delta, order) < best[:2]):
                best = (delta, order, ops)
    return None if best is None else best[2]


def _moves_for(state: TownshipState, cid: int) -> list[tuple[list[tuple], list[int], list]]:
    """Candidate moves of this cadre's movable home stays."""
    moves: list[tuple[list[tuple], list[int], list]] = []
    home = state.home[cid]
    mates = [m for m in state.members.get(home, []) if m != cid]
    stays = state.at[cid]
    for night, vid in sorted(stays.items()):
        if vid != home or not state.movable(cid, night):
            continue
        cell = (home, night)
        for other in state.nights:
            if other != night and state.can_stay(cid, other):
                ops = [("remove", cid, night), ("add", cid, home, other)]
                moves.append((ops, [cid], [cell, (home, other)]))
        if len(stays) > 1:
            moves.append(([("remove", cid, night)], [cid], [cell]))
        for mate in mates:
            if state.can_stay(mate, night):
                if len(state.at[mate]) < pc.MAX_NIGHTS:
                    ops = [("remove", cid, night), ("add", mate, home, night)]
                    moves.append((ops, [cid, mate], [cell]))
                for m2, v2 in sorted(state.at[mate].items()):
                    if v2 == home and m2 != night and state.movable(mate, m2) and m2 not in stays:
                        if night not in state.leave[mate] and m2 not in state.leave[cid]:
                            ops = [
                                ("remove", cid, night),
                                ("remove", mate, m2),
                                ("add", cid, home, m2),
                                ("add", mate, home, night),
                            ]
                            moves.append((ops, [cid, mate], [cell, (home, m2)]))
    return moves


def repair(state: TownshipState, cadres: list[int] | None = None, rounds: int = 50) -> int:
    """Remove consecutive nights by best-improvement moves; returns the moves applied."""
    applied = 0
    todo = cadres if cadres is not None else state.cadre_ids
    for _ in range(rounds):
        bad = [c for c in todo if len(state.at[c]) and state.consecutive(c)]
        improved = False
        for cid in bad:
            if not state.consecutive(cid):
                continue
            best: tuple[int, list[tuple]] | None = None
            for ops, involved, cells in _moves_for(state, cid):
                delta = _try(state, involved, cells, ops)
                if delta < 0 and (best is None or delta < best[0]):
                    best = (delta, ops)
            if best is not None:
                apply_ops(state, best[1])
                applied += 1
                improved = True
        if not improved:
            break
    return applied


def ensure_minimum(state: TownshipState) -> None:
    """Give every cadre who must stay once and has none his or her cheapest free home night."""
    for cid in state.cadre_ids:
        if cid not in state.required or state.at[cid]:
            continue
        home = state.home[cid]
        options = [n for n in state.nights if state.can_stay(cid, n) and (home, n) in state.count]
        if not options:
            continue
        best = min(
            options, key=lambda n: (_try(state, [cid], [(home, n)], [("add", cid, home, n)]), n)
        )
        state.add(cid, home, best)


def drop_redundant(state: TownshipState) -> int:
    """Drop second nights that only double a covered night (e.g. a lender's home night)."""
    dropped = 0
    for cid in state.cadre_ids:
        stays = state.at[cid]
        if len(stays) < 2:
            continue
        for night, vid in sorted(stays.items()):
            if state.movable(cid, night) and state.count.get((vid, night), 0) >= 2:
                ops = [("remove", cid, night)]
                if _try(state, [cid], [(vid, night)], ops) < 0:
                    apply_ops(state, ops)
                    dropped += 1
                    break
    return dropped


# -- improvement: exact village re-plans and borrowed-stay moves ------------------------
