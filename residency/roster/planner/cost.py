"""The roster planner's objective: weights and the cost of a plan (pure, no Django).

Every plan is scored by one integer objective, the sum of

* ``GAP_COST`` for each uncovered (village, workday night);
* for each cadre: ``BORROW_COST`` for each stay outside his or her own village,
  ``AVOID_COST`` for each night on an avoided weekday, ``PREF_MISS_COST`` for each night
  not on a preferred weekday (only if the cadre named preferred weekdays),
  ``CONSECUTIVE_COST`` for each pair of nights on consecutive dates (counting the
  boundary nights just outside the week), the heavy-night fairness cost
  ``sum(heavy_marginal(heavy_count + k) for k in 1..heavy nights this week)``,
  ``CHANGE_COST`` for each previously published future stay that is no longer planned,
  and ``MISSING_MIN_COST`` if the cadre must stay at least once but has no stay;
* for each (village, night): the spread cost of the cadres beyond the first, convex in
  their number (``extra_marginal(k) = EXTRA_COST * k`` for the k-th extra cadre, so two
  cadres cost 30, three 90, four 180: extra cadres are spread over the village's nights),
  and ``OVER_BEDS_COST`` for each cadre beyond the village office's ``beds``.

``OVER_BEDS_COST`` is above every soft cost and ``BORROW_COST`` but below ``GAP_COST`` and
``MISSING_MIN_COST``: the beds are a hard limit whenever a plan can keep it, and give way
only to the two rules of R1 (every workday night covered, every cadre at least one night),
e.g. when a village has more cadres than beds times nights. Such nights are reported with
the reason (``PlanResult.crowded``).

``BORROW_COST`` is far above any per-stay soft cost (the heavy marginal is capped at
``HEAVY_CAP``), so the planner never borrows to save fairness or preference costs
(PLANNER.md: a cheaper borrow made the solver borrow almost twice as often).
The benchmark's CP-SAT model (bench/planner.py) uses exactly these weights.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

GAP_COST = 1_000_000
MISSING_MIN_COST = 1_000_000
BORROW_COST = 100_000
HEAVY_WEIGHT = 20
HEAVY_CAP = 5_000
CONSECUTIVE_COST = 200
AVOID_COST = 60
CHANGE_COST = 50
EXTRA_COST = 30
PREF_MISS_COST = 20
MAX_NIGHTS = 2
OVER_BEDS_COST = 500_000
DEFAULT_BEDS = 2

_ONE_DAY = timedelta(days=1)


def heavy_marginal(count_after: int) -> int:
    """Cost of the heavy night that brings a cadre's yearly heavy-night count to ``count_after``.

    Increasing in the count (so the total is convex) and capped below ``BORROW_COST``.
    """
    return min(HEAVY_WEIGHT * count_after, HEAVY_CAP)


def heavy_cost(heavy_count: int, heavy_this_week: int) -> int:
    """Fairness cost of ``heavy_this_week`` heavy nights on top of ``heavy_count`` earlier ones."""
    return sum(heavy_marginal(heavy_count + k) for k in range(1, heavy_this_week + 1))


def night_cost(weekday: int, preferred: frozenset[int], avoided: frozenset[int]) -> int:
    """Preference cost of one night on ``weekday`` (0 = Monday) for one cadre."""
    cost = 0
    if weekday in avoided:
        cost += AVOID_COST
    if preferred and weekday not in preferred:
        cost += PREF_MISS_COST
    return cost


def consecutive_pairs(nights: Iterable[date], boundary: Iterable[date] = ()) -> int:
    """Pairs of consecutive dates among ``nights``, plus those pairing a night with a boundary night."""
    own = sorted(set(nights))
    pairs = sum(1 for a, b in zip(own, own[1:], strict=False) if b - a == _ONE_DAY)
    own_set = set(own)
    for b in boundary:
        if b not in own_set:
            pairs += (b - _ONE_DAY in own_set) + (b + _ONE_DAY in own_set)
    return pairs


def extra_marginal(count_after: int, beds: int = DEFAULT_BEDS) -> int:
    """Cost of the cadre that brings a (village, night) to ``count_after`` cadres (>= 2).

    Increasing in the count (the spread cost is convex), plus ``OVER_BEDS_COST`` beyond
    the beds.
    """
    cost = EXTRA_COST * (count_after - 1)
    if count_after > beds:
        cost += OVER_BEDS_COST
    return cost


def coverage_cost(count: int, beds: int = DEFAULT_BEDS) -> int:
    """Cost of a (village, workday night) covered by ``count`` cadres, with ``beds`` beds."""
    if count == 0:
        return GAP_COST
    extra = count - 1
    cost = EXTRA_COST * extra * (extra + 1) // 2
    if count > beds:
        cost += OVER_BEDS_COST * (count - beds)
    return cost
