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

:func:`improve` closes most of what is left to the optimum: :func:`optimise_village`
re-plans one village's own cadres exactly (consecutive nights included) and
:func:`improve_borrowed` moves borrowed stays between nights and lenders, which couples
the villages. Every accepted step strictly lowers the objective, so the phase ends and
is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from residency.roster.planner import cost as pc
from residency.roster.planner.state import TownshipState

Move = Callable[[], None]


def _price(state: TownshipState, cadres: list[int], cells: list[tuple[int, date]]) -> int:
    cost = sum(state.cadre_cost(c) for c in cadres)
    return cost + sum(pc.coverage_cost(state.count[k]) for k in cells if k in state.count)


def _try(
    state: TownshipState,
    cadres: list[int],
    cells: list[tuple[int, date]],
    do: list[tuple],
) -> int:
    """Price applying ``do`` (("add", c, v, n) / ("remove", c, n)) and undo it; returns the delta."""
    before = _price(state, cadres, cells)
    undo = _apply(state, do)
    after = _price(state, cadres, cells)
    _apply(state, undo)
    return after - before


def _apply(state: TownshipState, ops: list[tuple]) -> list[tuple]:
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
                _apply(state, best)
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
        undo = _apply(state, removes)
    except KeyError:
        return False
    done: list[tuple] = []
    ok = True
    for op in adds:
        _, cid, vid, night = op
        if night in state.at[cid] or len(state.at[cid]) >= pc.MAX_NIGHTS:
            ok = False
            break
        done.extend(_apply(state, [op]))
    if not ok:
        _apply(state, done[::-1])
        _apply(state, undo)
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
                _apply(state, best[1])
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
                    _apply(state, ops)
                    dropped += 1
                    break
    return dropped


# -- improvement: exact village re-plans and borrowed-stay moves ------------------------


def _cost_with(
    state: TownshipState, cid: int, drop: date | None, add: list[tuple[int, date]]
) -> int:
    """``cadre_cost(cid)`` as if the stay on ``drop`` were gone and ``add`` stays added."""
    at = state.at[cid]
    old = at.pop(drop) if drop is not None else None
    for vid, night in add:
        at[night] = vid
    cost = state.cadre_cost(cid)
    for _, night in add:
        del at[night]
    if drop is not None:
        at[drop] = old
    return cost


def optimise_village(state: TownshipState, vid: int) -> bool:
    """Re-plan the movable home stays of ``vid``'s own cadres exactly; True if it improved.

    Everything else (locked stays, stays of lenders, the cadres' stays elsewhere) is held
    fixed. Unlike the flow, this prices consecutive nights too: a dynamic programme over
    the cadres whose state is the set of the village's nights covered so far (at most
    2^7), each cadre choosing none, one or two nights. The coverage cost splits into
    ``EXTRA_COST`` a stay plus, per night nobody else covers, ``GAP_COST`` if uncovered or
    ``-EXTRA_COST`` if covered, so the set of covered nights is the only state needed.
    The new plan is kept only if strictly cheaper (no churn between equal plans).
    """
    members = state.members.get(vid, [])
    nights = state.nights
    if not members or not nights:
        return False
    cells = [(vid, n) for n in nights]
    saved = {
        cid: [n for n, v in state.at[cid].items() if v == vid and state.movable(cid, n)]
        for cid in members
    }
    before = _price(state, members, cells)
    for cid, ns in saved.items():
        for n in ns:
            state.remove(cid, n)
    bit = {n: 1 << i for i, n in enumerate(nights)}
    open_bits = [bit[n] for n in nights if state.count[(vid, n)] == 0 and n not in state.frozen]
    steps: list[dict[int, tuple[int, tuple[date, ...]]]] = []
    dp: dict[int, int] = {0: 0}
    for cid in members:
        room = pc.MAX_NIGHTS - len(state.at[cid])
        free = [n for n in nights if state.can_stay(cid, n)] if room > 0 else []
        subsets: list[tuple[date, ...]] = [()] + [(n,) for n in free]
        if room >= 2:
            subsets += [(a, b) for i, a in enumerate(free) for b in free[i + 1 :]]
        if len(subsets) == 1:  # nothing to choose: a constant, the state is unchanged
            steps.append({m: (m, ()) for m in dp})
            continue
        options = []
        for sub in subsets:
            cost = _cost_with(state, cid, None, [(vid, n) for n in sub])
            mask = 0
            for n in sub:
                mask |= bit[n]
            options.append((mask, cost + pc.EXTRA_COST * len(sub), sub))
        nxt: dict[int, int] = {}
        back: dict[int, tuple[int, tuple[date, ...]]] = {}
        for mask, base in dp.items():
            for om, cost, sub in options:
                m2 = mask | om
                value = base + cost
                old = nxt.get(m2)
                if old is None or value < old:
                    nxt[m2] = value
                    back[m2] = (mask, sub)
        steps.append(back)
        dp = nxt

    def final(mask: int) -> int:
        return sum(-pc.EXTRA_COST if mask & b else pc.GAP_COST for b in open_bits)

    best_mask = min(dp, key=lambda m: (dp[m] + final(m), m))
    mask = best_mask
    chosen: dict[int, tuple[date, ...]] = {}
    for cid, back in zip(reversed(members), reversed(steps), strict=True):
        mask, sub = back[mask]
        chosen[cid] = sub
    for cid, sub in chosen.items():
        for n in sub:
            state.add(cid, vid, n)
    if _price(state, members, cells) < before:
        return True
    for cid, sub in chosen.items():
        for n in sub:
            state.remove(cid, n)
    for cid, ns in saved.items():
        for n in ns:
            state.add(cid, vid, n)
    return False


def _best_borrowed_move(
    state: TownshipState, needy: set[int], cid: int, night: date, vid: int
) -> list[tuple] | None:
    """The best improving move of one borrowed stay, or None.

    Moves: drop it; move it to another night (of this or another needy village); hand it
    to another cadre, who may at the same time give up a stay that someone else also
    covers; swap nights with a cadre of the same village. Priced by difference, without
    touching the coverage counts (the cadre costs are recomputed on the spot).
    """
    gone = ("remove", cid, night)
    base = state.cadre_cost(cid)
    without = _cost_with(state, cid, night, [])
    extra = pc.coverage_cost(state.count[(vid, night)] - 1) - pc.coverage_cost(
        state.count[(vid, night)]
    )
    best_delta = 0
    best: list[tuple] | None = None

    def consider(delta: int, ops: list[tuple]) -> None:
        nonlocal best_delta, best
        if delta < best_delta:
            best_delta, best = delta, ops

    consider(without - base + extra, [gone])
    home = state.home[cid]
    for other in state.nights:
        if other == night or not state.can_stay(cid, other):
            continue
        for v2 in sorted(needy | {vid}):
            if v2 == home:
                continue
            k = state.count[(v2, other)]
            cover = pc.coverage_cost(k + 1) - pc.coverage_cost(k)
            delta = _cost_with(state, cid, night, [(v2, other)]) - base + extra + cover
            consider(delta, [gone, ("add", cid, v2, other)])
    for mate in state.cadre_ids:
        if mate == cid or not state.can_stay(mate, night):
            continue
        if state.home[mate] != vid and vid not in needy:
            continue
        stays = state.at[mate]
        take = ("add", mate, vid, night)
        mate_base = state.cadre_cost(mate)
        if len(stays) < pc.MAX_NIGHTS:
            delta = without - base + _cost_with(state, mate, None, [(vid, night)]) - mate_base
            consider(delta, [gone, take])
        for m, w in sorted(stays.items()):
            if not state.movable(mate, m):
                continue
            k = state.count.get((w, m), 0)
            # Releasing a night nobody else covers would open a gap: never better.
            if k >= 2:
                delta = (
                    without
                    - base
                    + _cost_with(state, mate, m, [(vid, night)])
                    - mate_base
                    + pc.coverage_cost(k - 1)
                    - pc.coverage_cost(k)
                )
                consider(delta, [gone, ("remove", mate, m), take])
            # Swap nights with a cadre of the same village (e.g. its own cadre).
            if w == vid and m not in state.at[cid] and m not in state.leave[cid]:
                delta = (
                    _cost_with(state, cid, night, [(vid, m)])
                    - base
                    + _cost_with(state, mate, m, [(vid, night)])
                    - mate_base
                )
                consider(delta, [gone, ("remove", mate, m), take, ("add", cid, vid, m)])
    return best


def improve_borrowed(state: TownshipState, needy: set[int]) -> set[int]:
    """Best-improvement moves of borrowed stays; returns the villages whose plan changed."""
    touched: set[int] = set()
    for cid in state.cadre_ids:
        home = state.home[cid]
        for night, vid in sorted(state.at[cid].items()):
            if vid == home or not state.movable(cid, night) or state.at[cid].get(night) != vid:
                continue
            ops = _best_borrowed_move(state, needy, cid, night, vid)
            if ops is None:
                continue
            _apply(state, ops)
            for op in ops:
                touched.add(state.home[op[1]])
                if op[0] == "add":
                    touched.add(op[2])
            touched.add(vid)
    return touched


def improve(state: TownshipState, needy: set[int], dirty: set[int], rounds: int = 8) -> None:
    """Alternate exact re-plans of the ``dirty`` villages and borrowed-stay moves.

    Every accepted step lowers the objective, so the hard rules the objective enforces
    (coverage, at least one night) can only get better; the moves never break the others.
    """
    for _ in range(rounds):
        for vid in sorted(dirty):
            optimise_village(state, vid)
        dirty = improve_borrowed(state, needy)
        if not dirty:
            return
