"""Benchmark of the roster planner (residency/roster/planner/) on synthetic counties and a province.

Run from the project root::

    .venv/bin/python bench/planner.py                   # county week, county year, province week
    .venv/bin/python bench/planner.py --workers 2       # ... planning townships in 2 processes
    .venv/bin/python bench/planner.py --repeat 3        # least CPU of 3 runs (loaded machine)
    .venv/bin/python bench/planner.py --no-province     # skip the province (about a minute)
    /tmp/benchvenv/bin/python bench/planner.py --cpsat  # also solve the county week with CP-SAT
    /tmp/benchvenv/bin/python bench/planner.py --cpsat --explain --no-year --no-province
                                                        # ... and print each cost term of both

CP-SAT needs OR-Tools, which is not in the runtime requirements (about 210 MB). Install it
in a separate virtualenv::

    python3 -m venv /tmp/benchvenv
    /tmp/benchvenv/bin/pip install -r requirements-bench.txt

Times are wall clock with the CPU time in brackets, the worker processes' included (the CPU
time is the figure to trust on a shared, loaded machine; the wall time with ``--workers 2``
is the one the targets name). Without OR-Tools, ``--cpsat`` prints a message and skips that part. The data is generated
deterministically from ``--seed``: 2-9 cadres a village, about 5% of cadre-nights on leave,
a fifth of the cadres with preferred weekdays and a fifth with an avoided weekday. Names are
generated, never real.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from residency.nights.workdays import is_heavy_night, week_nights  # noqa: E402
from residency.roster.planner import (  # noqa: E402
    Cadre,
    PlanInput,
    PlanResult,
    Village,
    plan_many,
    pool,
)

LEAVE_RATE = 0.05


@dataclass
class Township:
    """A generated township: villages and the lasting part of its cadres."""

    villages: list[Village]
    cadres: list[Cadre]


def _split(total: int, parts: int, low: int, high: int, rng: random.Random) -> list[int]:
    """``parts`` integers in [low, high] summing to ``total``."""
    sizes = [rng.randint(low, high) for _ in range(parts)]
    while sum(sizes) != total:
        i = rng.randrange(parts)
        if sum(sizes) < total and sizes[i] < high:
            sizes[i] += 1
        elif sum(sizes) > total and sizes[i] > low:
            sizes[i] -= 1
    return sizes


def make_area(townships: int, villages: int, cadres: int, seed: int) -> list[Township]:
    """A county or province: ``townships`` townships, ``villages`` villages, ``cadres`` cadres."""
    rng = random.Random(seed)
    per_village = _split(cadres, villages, 2, 9, rng)
    base = villages // townships
    per_township = [base + (1 if i < villages % townships else 0) for i in range(townships)]
    out: list[Township] = []
    vid = cid = 0
    for count in per_township:
        vs: list[Village] = []
        cs: list[Cadre] = []
        for _ in range(count):
            vid += 1
            vs.append(Village(vid, f"村{vid:05d}"))
            for _ in range(per_village[vid - 1]):
                cid += 1
                pref = (
                    frozenset(rng.sample(range(5), rng.randint(1, 2)))
                    if rng.random() < 0.2
                    else frozenset()
                )
                avoid = frozenset({rng.randrange(5)}) - pref if rng.random() < 0.2 else frozenset()
                cs.append(Cadre(cid, f"干部{cid:06d}", vid, frozenset(), pref, avoid, 0))
        out.append(Township(vs, cs))
    return out


def week_inputs(
    area: list[Township],
    year: int,
    week: int,
    rng: random.Random,
    heavy_counts: dict[int, int] | None = None,
    boundary: frozenset[tuple[int, date]] = frozenset(),
) -> list[PlanInput]:
    """One PlanInput per township for an ISO week, with fresh random leave."""
    nights = week_nights(year, week)
    heavy = frozenset(n for n in nights if is_heavy_night(n))
    counts = heavy_counts or {}
    inputs = []
    for t in area:
        cadres = [
            Cadre(
                c.id,
                c.name,
                c.village_id,
                frozenset(n for n in nights if rng.random() < LEAVE_RATE),
                c.preferred_weekdays,
                c.avoided_weekdays,
                counts.get(c.id, 0),
            )
            for c in t.cadres
        ]
        ids = {c.id for c in cadres}
        mine = frozenset(b for b in boundary if b[0] in ids)
        inputs.append(PlanInput(nights, heavy, t.villages, cadres, boundary_nights=mine))
    return inputs


def maxrss_mib() -> float:
    """Peak resident memory of this process so far, MiB (and of its largest worker, if any)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(own, children)


def cpu_seconds() -> float:
    """CPU time of this process plus its finished (joined) worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def summary(results: list[PlanResult]) -> tuple[float, int, int, int]:
    return (
        sum(r.objective for r in results),
        sum(len(r.gaps) for r in results),
        sum(r.borrowed for r in results),
        sum(r.consecutive for r in results),
    )


def over_beds(results: list[PlanResult]) -> int:
    """Cadres over the village offices' beds, summed over the nights."""
    return sum(c.cadres - c.beds for r in results for c in r.crowded)


def soft(objective: float, gaps: int, borrowed: int, crowded: int = 0) -> float:
    """The objective without the fixed price of gaps, borrowed stays and nights over the beds
    (``crowded``: cadres over the beds, see :func:`over_beds`)."""
    from residency.roster.planner import cost as pc

    return (
        objective
        - gaps * pc.GAP_COST
        - borrowed * pc.BORROW_COST
        - crowded * pc.OVER_BEDS_COST
    )


def run_week(
    label: str, inputs: list[PlanInput], workers: int = 1, repeat: int = 1
) -> list[PlanResult]:
    """Plan the week ``repeat`` times; print the run of least CPU time."""
    best = None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_seconds()
        results = plan_many(inputs, workers=workers)  # with workers > 1: a pool, joined
        wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        if best is None or cpu < best[1]:
            best = (wall, cpu)
    wall, cpu = best
    if repeat > 1:
        label += f", least CPU of {repeat} runs"
    objective, gaps, borrowed, consecutive = summary(results)
    crowded = over_beds(results)
    print(
        f"{label}, {workers} process(es): {wall:.3f} s wall ({cpu:.3f} s CPU), "
        f"peak RSS {maxrss_mib():.0f} MiB, objective {objective:,.0f} "
        f"(soft part {soft(objective, gaps, borrowed, crowded):,.0f}), gaps {gaps}, "
        f"borrowed {borrowed}, cadres over the beds {crowded}, consecutive pairs {consecutive}"
    )
    return results


def run_year(area: list[Township], seed: int, workers: int = 1, repeat: int = 1) -> None:
    """Plan the 52 weeks in turn; with ``repeat`` > 1 each week is planned that many times
    and the least time counts (the plans are the same: the planner is deterministic)."""
    rng = random.Random(seed)
    counts: dict[int, int] = {}
    boundary: frozenset[tuple[int, date]] = frozenset()
    total = 0.0
    gaps = borrowed = crowded = 0
    solve = cpu = 0.0
    executor = pool(workers) if workers > 1 else None
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    for week in range(1, 53):
        inputs = week_inputs(area, 2026, week, rng, counts, boundary)
        best = None
        for _ in range(repeat):
            start, cpu_start = time.perf_counter(), time.process_time()
            results = plan_many(inputs, executor=executor)
            took = (time.process_time() - cpu_start, time.perf_counter() - start)
            best = took if best is None or took < best else best
        cpu += best[0]
        solve += best[1]
        objective, g, b, _ = summary(results)
        total += objective
        gaps += g
        borrowed += b
        crowded += over_beds(results)
        nights = week_nights(2026, week)
        if nights:
            last = nights[-1]
            heavy = inputs[0].heavy_nights
            boundary = frozenset(
                (s.cadre_id, s.night) for r in results for s in r.stays if s.night == last
            )
            for r in results:
                for s in r.stays:
                    if s.night in heavy:
                        counts[s.cadre_id] = counts.get(s.cadre_id, 0) + 1
    if executor is not None:
        executor.shutdown(wait=True)  # the workers' CPU time counts once they are joined
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    spread = _heavy_spread(area, counts)
    print(
        f"county year (52 weeks, fairness carried), {workers} process(es)"
        f"{f', least of {repeat} runs a week' if repeat > 1 else ''}: {solve:.2f} s wall "
        f"solving ({cpu:.2f} s CPU), peak RSS {maxrss_mib():.0f} MiB, objective {total:,.0f}, "
        f"gaps {gaps}, borrowed {borrowed}, cadres over the beds {crowded}, "
        f"heavy nights per cadre: max spread within a village {spread}"
    )


def _heavy_spread(area: list[Township], counts: dict[int, int]) -> int:
    worst = 0
    for t in area:
        by_village: dict[int, list[int]] = {}
        for c in t.cadres:
            by_village.setdefault(c.village_id, []).append(counts.get(c.id, 0))
        for values in by_village.values():
            worst = max(worst, max(values) - min(values))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument(
        "--cpsat", action="store_true", help="solve the county week with CP-SAT too"
    )
    parser.add_argument(
        "--explain", action="store_true", help="with --cpsat: per-term costs per township"
    )
    parser.add_argument("--no-province", action="store_true", help="skip the province week")
    parser.add_argument("--no-year", action="store_true", help="skip the county year")
    parser.add_argument("--no-county", action="store_true", help="skip the county week")
    parser.add_argument("--week", type=int, default=10, help="ISO week of 2026 (default 10)")
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="plan each week this many times and keep the least CPU time (a loaded machine)",
    )
    parser.add_argument(
        "--workers", type=int, default=1,
        help="plan townships in this many processes (plan_many's process pool)",
    )
    args = parser.parse_args()

    print(f"python {sys.version.split()[0]}, seed {args.seed}, week 2026-W{args.week:02d}")
    county = make_area(12, 174, 929, args.seed)
    inputs = week_inputs(county, 2026, args.week, random.Random(args.seed))
    if not args.no_county or args.cpsat:
        label = "county week (12 townships, 174 villages, 929 cadres)"
        run_week(label, inputs, args.workers)  # warm-up
        results = run_week(label, inputs, args.workers, args.repeat)
        if args.cpsat:
            from bench.planner_cpsat import compare

            compare(inputs, results, show_terms=args.explain)
    if not args.no_year:
        run_year(county, args.seed, args.workers, args.repeat)
    if not args.no_province:
        province = make_area(1300, 20000, 107000, args.seed + 1)
        inputs = week_inputs(province, 2026, args.week, random.Random(args.seed + 1))
        label = "province week (1,300 townships, 20,000 villages, 107,000 cadres)"
        run_week(label, inputs, args.workers, args.repeat)


if __name__ == "__main__":
    main()
