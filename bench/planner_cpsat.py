"""Exact reference for the roster planner: the same model and objective solved by CP-SAT.

Used by ``bench/planner.py --cpsat`` only; needs OR-Tools (requirements-bench.txt), which the
runtime never imports. The model mirrors ``residency/roster/planner/cost.py`` term by term, and
borrowing is allowed into exactly the villages the planner may borrow for (those whose own
cadres cannot cover all their nights), so the two optimise the same problem.
Solved per township with 1 worker and ``linearization_level=2`` (PLANNER.md: 2 workers
could not prove optimality in 60 s; 1 worker took about 1.5 s for the county).
"""

from __future__ import annotations

import time
from datetime import timedelta

from residency.roster.planner import PlanInput, PlanResult, Stay
from residency.roster.planner import cost as pc
from residency.roster.planner.flow import assign_village
from residency.roster.planner.search import needy_villages
from residency.roster.planner.state import TownshipState


def needy(inp: PlanInput) -> set[int]:
    """Villages whose own cadres cannot cover every night (the rule's definition)."""
    state = TownshipState(inp)
    for vid in state.village_ids:
        assign_village(state, vid)
    return needy_villages(state)


def solve(inp: PlanInput, time_limit: float = 60.0) -> tuple[float, float, str, list[Stay]]:
    """Optimal objective, best bound, status and stays of one township (no fixed/previous)."""
    from ortools.sat.python import cp_model

    state = TownshipState(inp)
    borrow_into = needy(inp)
    m = cp_model.CpModel()
    x: dict[tuple[int, int, object], cp_model.IntVar] = {}
    for cid in state.cadre_ids:
        home = state.home[cid]
        for n in state.nights:
            if not state.can_stay(cid, n):
                continue
            for vid in [home, *sorted(borrow_into - {home})]:
                x[(cid, vid, n)] = m.new_bool_var("")
    terms = []
    for cid in state.cadre_ids:
        mine = [(k, var) for k, var in x.items() if k[0] == cid]
        total = sum(var for _, var in mine)
        m.add(total <= pc.MAX_NIGHTS)
        if cid in state.required:
            missing = m.new_bool_var("")
            m.add(total + missing >= 1)
            terms.append(pc.MISSING_MIN_COST * missing)
        for (_, vid, n), var in mine:
            c = state.ncost[cid][n] + (pc.BORROW_COST if vid != state.home[cid] else 0)
            if c:
                terms.append(c * var)
        on = {}
        for n in state.nights:
            vs = [var for (_, _, night), var in mine if night == n]
            if vs:
                m.add(sum(vs) <= 1)
                on[n] = sum(vs)
        heavy = [on[n] for n in sorted(state.heavy) if n in on]
        if heavy:
            steps = [m.new_bool_var("") for _ in heavy]
            for a, b in zip(steps, steps[1:], strict=False):
                m.add(a >= b)
            m.add(sum(steps) == sum(heavy))
            for k, step in enumerate(steps, start=1):
                terms.append(pc.heavy_marginal(state.heavy_count[cid] + k) * step)
        for n in state.nights:
            nxt = n + timedelta(days=1)
            if n in on and nxt in on:
                both = m.new_bool_var("")
                m.add(both >= on[n] + on[nxt] - 1)
                terms.append(pc.CONSECUTIVE_COST * both)
        for b in state.boundary.get(cid, ()):
            for n in (b - timedelta(days=1), b + timedelta(days=1)):
                if n in on:
                    terms.append(pc.CONSECUTIVE_COST * on[n])
    for vid in state.village_ids:
        for n in state.nights:
            vs = [var for (c, v, night), var in x.items() if v == vid and night == n]
            cover = m.new_bool_var("")
            if vs:
                m.add(cover <= sum(vs))
                m.add(sum(vs) <= len(vs) * cover)
                # The k-th cadre of the night (k >= 2) costs extra_marginal(k, beds),
                # increasing in k: one ordered boolean per unit.
                units = [m.new_bool_var("") for _ in range(len(vs) - 1)]
                for a, b in zip(units, units[1:], strict=False):
                    m.add(a >= b)
                m.add(sum(vs) == cover + sum(units))
                beds = state.beds[vid]
                for k, unit in enumerate(units, start=2):
                    terms.append(pc.extra_marginal(k, beds) * unit)
            else:
                m.add(cover == 0)
            terms.append(pc.GAP_COST * (1 - cover))
    m.minimize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(m)
    stays = [
        Stay(cid, vid, n, borrowed=vid != state.home[cid])
        for (cid, vid, n), var in x.items()
        if solver.value(var)
    ]
    return (
        solver.objective_value,
        solver.best_objective_bound,
        solver.status_name(status),
        stays,
    )


TERMS = ("gap", "missing", "borrow", "consecutive", "heavy", "avoid", "pref", "extra", "change")


def terms(inp: PlanInput, stays: list[Stay]) -> dict[str, int]:
    """The objective of ``stays`` split by cost term (sums to ``evaluate(inp, stays)``)."""
    state = TownshipState(
        PlanInput(
            inp.nights,
            inp.heavy_nights,
            inp.villages,
            inp.cadres,
            fixed=list(stays),
            previous=inp.previous,
            boundary_nights=inp.boundary_nights,
        )
    )
    cadres = {c.id: c for c in inp.cadres}
    out = dict.fromkeys(TERMS, 0)
    for cid in state.cadre_ids:
        at = state.at[cid]
        c = cadres[cid]
        if not at and cid in state.required:
            out["missing"] += pc.MISSING_MIN_COST
        for n, vid in at.items():
            out["borrow"] += pc.BORROW_COST * (vid != state.home[cid])
            out["avoid"] += pc.night_cost(n.weekday(), frozenset(), c.avoided_weekdays)
            out["pref"] += pc.night_cost(n.weekday(), c.preferred_weekdays, frozenset())
        heavy = sum(1 for n in at if n in state.heavy)
        out["heavy"] += pc.heavy_cost(state.heavy_count[cid], heavy)
        if at:
            out["consecutive"] += pc.CONSECUTIVE_COST * state.consecutive(cid)
        out["change"] += pc.CHANGE_COST * sum(
            1 for n, v in state.prev[cid].items() if at.get(n) != v
        )
    for key, k in state.count.items():
        out["gap" if k == 0 else "extra"] += state.cell_cost(key)
    assert sum(out.values()) == state.objective()
    return out


def explain(inputs: list[PlanInput], results: list[PlanResult], optimal: list[list[Stay]]) -> None:
    """Print, per township and in total, each cost term of the planner and of CP-SAT."""
    head = "".join(f"{t:>13}" for t in TERMS)
    print("per-term costs: planner minus CP-SAT per township, then both totals")
    print(f"{'':28}{head}")
    total = {t: [0, 0] for t in TERMS}
    for i, (inp, res, best) in enumerate(zip(inputs, results, optimal, strict=True), 1):
        ours, theirs = terms(inp, res.stays), terms(inp, best)
        cells = []
        for t in TERMS:
            total[t][0] += ours[t]
            total[t][1] += theirs[t]
            d = ours[t] - theirs[t]
            cells.append(f"{d:+13,}" if d else f"{'':>13}")
        label = f"township {i:2d} ({sum(ours.values()) - sum(theirs.values()):+,})"
        print(f"  {label:26}" + "".join(cells))
    print(f"  {'total planner':26}" + "".join(f"{v[0]:13,}" for v in total.values()))
    print(f"  {'total CP-SAT':26}" + "".join(f"{v[1]:13,}" for v in total.values()))


def compare(inputs: list[PlanInput], results: list[PlanResult], show_terms: bool = False) -> None:
    """Solve every township with CP-SAT and print the planner's gap to the optimum."""
    try:
        import ortools  # noqa: F401
    except ImportError:
        print(
            "CP-SAT skipped: ortools is not installed (pip install -r requirements-bench.txt "
            "in a separate venv, e.g. /tmp/benchvenv)"
        )
        return
    start = time.perf_counter()
    best = bound = 0.0
    statuses: dict[str, int] = {}
    optimal = []
    for inp in inputs:
        value, lower, status, stays = solve(inp)
        optimal.append(stays)
        best += value
        bound += lower
        statuses[status] = statuses.get(status, 0) + 1
    wall = time.perf_counter() - start
    ours = sum(r.objective for r in results)
    gaps = sum(len(r.gaps) for r in results)
    borrowed = sum(r.borrowed for r in results)
    crowded = sum(c.cadres - c.beds for r in results for c in r.crowded)
    fixed = gaps * pc.GAP_COST + borrowed * pc.BORROW_COST + crowded * pc.OVER_BEDS_COST
    print(
        f"CP-SAT county week: {wall:.2f} s, objective {best:,.0f} (bound {bound:,.0f}), "
        f"statuses {statuses}"
    )
    print(
        f"planner vs CP-SAT: +{100 * (ours - best) / best:.3f}% of the whole objective, "
        f"+{100 * (ours - best) / max(best - fixed, 1):.2f}% of its soft part "
        f"(planner {ours - fixed:,.0f} vs {best - fixed:,.0f}, gaps, borrows and beds taken as equal)"
    )
    if show_terms:
        explain(inputs, results, optimal)
