"""The improvement phase of the planner (pure, no Django), after ``search``'s borrowing
and repair.

:func:`improve` closes most of what is left to the optimum: :func:`optimise_village`
re-plans one village's own cadres exactly (consecutive nights included) and
:func:`improve_borrowed` moves borrowed stays between nights and lenders, which couples
the villages. Every accepted step strictly lowers the objective, so the phase ends and
is deterministic.
"""

from __future__ import annotations

from datetime import date

from residency.roster.planner import cost as pc
from residency.roster.planner.search import apply_ops, price_of
from residency.roster.planner.state import TownshipState

BEAM = 4000


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


def optimise_village(state: TownshipState, vid: int, beam: int = BEAM) -> bool:
    """Re-plan the movable home stays of ``vid``'s own cadres exactly; True if it improved.

    Everything else (locked stays, stays of lenders, the cadres' stays elsewhere) is held
    fixed. Unlike the flow, this prices consecutive nights too: a dynamic programme over
    the cadres whose state is the number of the village's own cadres planned so far on
    each night (the coverage cost, convex in that number, is then exact), each cadre
    choosing none, one or two nights. At most ``beam`` cheapest states are kept per
    cadre (never reached by a village of up to about eight cadres on five nights); the
    new plan is kept only if strictly cheaper (no churn between equal plans).
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
    before = price_of(state, members, cells)
    for cid, ns in saved.items():
        for n in ns:
            state.remove(cid, n)
    width = max(5, (pc.MAX_NIGHTS * len(members)).bit_length() + 1)
    top = pc.MAX_NIGHTS * len(members) + 2
    index = {n: i for i, n in enumerate(nights)}
    # marg[i][c]: the cost of one more cadre on night i when c own cadres are planned there.
    marg = []
    for n in nights:
        key = (vid, n)
        row = [state.cell_cost(key, c + 1) - state.cell_cost(key, c) for c in range(top)]
        marg.append(row)
    mask_all = (1 << width) - 1
    plans: list[list[tuple[list[int], int, tuple[date, ...]]]] = []
    for cid in members:
        room = pc.MAX_NIGHTS - len(state.at[cid])
        free = [n for n in nights if state.can_stay(cid, n)] if room > 0 else []
        subsets: list[tuple[date, ...]] = [()] + [(n,) for n in free]
        if room >= 2:
            subsets += [(a, b) for i, a in enumerate(free) for b in free[i + 1 :]]
        plans.append(
            [
                ([index[n] for n in sub], _cost_with(state, cid, None, [(vid, n) for n in sub]), sub)
                for sub in subsets
            ]
        )
    # Branch and bound: a state is dropped when even the cheapest choices of the cadres
    # still to come, and covering every night still open, cannot beat the current plan.
    rest = [0] * (len(plans) + 1)
    for i in range(len(plans) - 1, -1, -1):
        rest[i] = rest[i + 1] + min(cost for _, cost, _ in plans[i])
    bound = before - sum(state.cell_cost(key) for key in cells)
    # reach[k][i]: the least a cadre from the k-th on pays above its cheapest choice to
    # stay on night i (None: nobody left can).
    reach: list[list[int | None]] = [[None] * len(nights) for _ in range(len(plans) + 1)]
    for k in range(len(plans) - 1, -1, -1):
        row = list(reach[k + 1])
        least = min(cost for _, cost, _ in plans[k])
        for idx, cost, _ in plans[k]:
            for i in idx:
                if row[i] is None or cost - least < row[i]:
                    row[i] = cost - least
        reach[k] = row
    needed = [0] * (len(plans) + 1)
    for i in range(len(plans) - 1, -1, -1):
        owed = members[i] in state.required and not state.at[members[i]]
        needed[i] = needed[i + 1] + (owed and len(plans[i]) > 1)
    span = sorted({i for options in plans for idx, _, _ in options for i in idx})
    steps: list[dict[int, tuple[int, tuple[date, ...]]]] = []
    dp: dict[int, int] = {0: 0}
    for step, options in enumerate(plans):
        nxt: dict[int, int] = {}
        back: dict[int, tuple[int, tuple[date, ...]]] = {}
        for code, base in dp.items():
            for idx, cost, sub in options:
                value = base + cost
                code2 = code
                for i in idx:
                    shift = i * width
                    value += marg[i][(code >> shift) & mask_all]
                    code2 += 1 << shift
                old = nxt.get(code2)
                if old is None or value < old:
                    nxt[code2] = value
                    back[code2] = (code, sub)
        later = rest[step + 1]
        owed = needed[step + 1]
        can = reach[step + 1]
        kept = {}
        for code2, value in nxt.items():
            low = value + later
            # Each night still open is covered at most once (a negative marginal), by a
            # cadre paying at least ``can[i]`` above his or her cheapest choice; the
            # cadres still owed a night beyond those add a stay at the cheapest positive
            # marginal or more (convex).
            opened = 0
            cheapest = pc.OVER_BEDS_COST
            detour = 0
            for i in span:
                c = (code2 >> (i * width)) & mask_all
                m = marg[i][c]
                if m < 0:
                    if can[i] is None:
                        continue  # stays open whatever comes next
                    low += m
                    opened += 1
                    if can[i] > detour:
                        detour = can[i]
                    m = marg[i][c + 1]  # a second cadre on it, once covered
                if m < cheapest:
                    cheapest = m
            low += detour
            if owed > opened:
                low += (owed - opened) * cheapest
            if low < bound:
                kept[code2] = value
        if len(kept) > beam:
            kept = dict(sorted(kept.items(), key=lambda kv: (kv[1], kv[0]))[:beam])
        steps.append(back)
        dp = kept
        if not dp:
            break
    if not dp:
        for cid, ns in saved.items():
            for n in ns:
                state.add(cid, vid, n)
        return False

    code = min(dp, key=lambda m: (dp[m], m))
    chosen: dict[int, tuple[date, ...]] = {}
    for cid, back in zip(reversed(members), reversed(steps), strict=True):
        code, sub = back[code]
        chosen[cid] = sub
    for cid, sub in chosen.items():
        for n in sub:
            state.add(cid, vid, n)
    if price_of(state, members, cells) < before:
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
    extra = state.cell_cost((vid, night), -1) - state.cell_cost((vid, night))
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
            cover = state.cell_cost((v2, other), 1) - state.cell_cost((v2, other))
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
                    + state.cell_cost((w, m), -1)
                    - state.cell_cost((w, m))
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
            apply_ops(state, ops)
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
