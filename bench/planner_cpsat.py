"""Exact reference for the roster planner: the same model and objective solved by CP-SAT.

Used by ``bench/planner.py --cpsat`` only; needs OR-Tools (requirements-bench.txt), which the
runtime never imports. The model mirrors ``residency/planner_cost.py`` term by term, and
borrowing is allowed into exactly the villages the planner may borrow for (those whose own
cadres cannot cover all their nights), so the two optimise the same problem.
Solved per township with 1 worker and ``linearization_level=2`` (PLANNER.md: 2 workers
could not prove optimality in 60 s; 1 worker took about 1.5 s for the county).
"""

from __future__ import annotations

import time
from datetime import timedelta

from residency import planner_cost as pc
from residency.planner import PlanInput, PlanResult
from residency.planner_flow import assign_village
from residency.planner_search import needy_villages
from residency.planner_state import TownshipState


def needy(inp: PlanInput) -> set[int]:
    """Villages whose own cadres cannot cover every night (the rule's definition)."""
    state = TownshipState(inp)
    for vid in state.village_ids:
        assign_village(state, vid)
    return needy_villages(state)


def solve(inp: PlanInput, time_limit: float = 60.0) -> tuple[float, float, str]:
    """Optimal objective, best bound and status of one township (no fixed/previous stays)."""
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
                terms.append(pc.EXTRA_COST * (sum(vs) - cover))
            else:
                m.add(cover == 0)
            terms.append(pc.GAP_COST * (1 - cover))
    m.minimize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(m)
    return solver.objective_value, solver.best_objective_bound, solver.status_name(status)


def compare(inputs: list[PlanInput], results: list[PlanResult]) -> None:
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
    for inp in inputs:
        value, lower, status = solve(inp)
        best += value
        bound += lower
        statuses[status] = statuses.get(status, 0) + 1
    wall = time.perf_counter() - start
    ours = sum(r.objective for r in results)
    gaps = sum(len(r.gaps) for r in results)
    borrowed = sum(r.borrowed for r in results)
    fixed = gaps * pc.GAP_COST + borrowed * pc.BORROW_COST
    print(
        f"CP-SAT county week: {wall:.2f} s, objective {best:,.0f} (bound {bound:,.0f}), "
        f"statuses {statuses}"
    )
    print(
        f"planner vs CP-SAT: +{100 * (ours - best) / best:.3f}% of the whole objective, "
        f"+{100 * (ours - best) / max(best - fixed, 1):.2f}% of its soft part "
        f"(planner {ours - fixed:,.0f} vs {best - fixed:,.0f}, gaps and borrows taken as equal)"
    )
