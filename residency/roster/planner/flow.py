"""Exact per-village assignment by min-cost flow (pure Python, no dependencies).

For one village and its own cadres the network is::

    source -> cadre        capacity 2 - locked nights; the first unit earns MIN_REWARD
                           if the cadre must still stay once this week
    cadre -> night         one arc per plannable night, cost = preference cost
                           minus CHANGE_COST if the stay was published before
    cadre -> cadre-heavy   one arc per possible heavy night, costs heavy_marginal(h+1),
                           heavy_marginal(h+2), ... (convex, so used in order)
    cadre-heavy -> night   for the heavy nights
    night -> sink          one arc per unit: the first cadre of the night earns
                           COVER_REWARD, the k-th costs extra_marginal(k, beds) (convex:
                           spreading extra cadres, OVER_BEDS_COST beyond the beds)

Successive shortest paths (SPFA, the graph is tiny) stop at the first path of
non-negative cost, which gives a minimum-cost flow of any value: it covers as many nights
and satisfies as many min-one cadres as possible (the two never conflict), then minimises
every soft cost except consecutive nights, which ``planner_search`` repairs.
"""

from __future__ import annotations

from collections import deque
from datetime import timedelta

from residency.roster.planner import cost as pc
from residency.roster.planner.state import TownshipState

COVER_REWARD = 10 * pc.GAP_COST
MIN_REWARD = 10 * pc.MISSING_MIN_COST
_INF = float("inf")
_ONE_DAY = timedelta(days=1)


class _Network:
    """A small residual network with paired arcs (arc ``i ^ 1`` is the reverse of ``i``)."""

    __slots__ = ("adj", "cap", "convex", "cost", "to")

    def __init__(self, size: int) -> None:
        self.adj: list[list[int]] = [[] for _ in range(size)]
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []
        # arc -> the cost of each unit in turn (increasing): one arc instead of one per unit
        self.convex: dict[int, list[int]] = {}

    def convex_arc(self, u: int, v: int, costs: list[int]) -> int:
        """An arc into the sink whose k-th unit costs ``costs[k]`` (increasing in k)."""
        index = self.arc(u, v, len(costs), costs[0])
        self.convex[index] = costs
        return index

    def arc(self, u: int, v: int, cap: int, cost: int) -> int:
        index = len(self.to)
        self.adj[u].append(index)
        self.to.append(v)
        self.cap.append(cap)
        self.cost.append(cost)
        self.adj[v].append(index + 1)
        self.to.append(u)
        self.cap.append(0)
        self.cost.append(-cost)
        return index

    def min_cost_flow(self, source: int, sink: int) -> None:
        """Augment along negative-cost shortest paths until none is left."""
        adj, to, cap, cost = self.adj, self.to, self.cap, self.cost
        size = len(adj)
        while True:
            dist = [_INF] * size
            via = [-1] * size
            queued = [False] * size
            dist[source] = 0
            queue = deque([source])
            while queue:
                u = queue.popleft()
                queued[u] = False
                if u == sink:  # paths end at the sink (its convex arcs' reverses are unused)
                    continue
                du = dist[u]
                for a in adj[u]:
                    if cap[a] > 0:
                        v = to[a]
                        nd = du + cost[a]
                        if nd < dist[v]:
                            dist[v] = nd
                            via[v] = a
                            if not queued[v]:
                                queued[v] = True
                                queue.append(v)
            if dist[sink] >= 0:
                return
            push = None
            v = sink
            while v != source:
                a = via[v]
                push = cap[a] if push is None else min(push, cap[a])
                v = to[a ^ 1]
            last = via[sink]
            steps = self.convex.get(last)
            if steps is not None:
                push = 1
            v = sink
            while v != source:
                a = via[v]
                cap[a] -= push
                cap[a ^ 1] += push
                v = to[a ^ 1]
            if steps is not None and cap[last] > 0:
                used = len(steps) - cap[last]
                cost[last] = steps[used]
                cost[last ^ 1] = -steps[used - 1]


def assign_village(state: TownshipState, vid: int, helpers: list[int] | None = None) -> None:
    """Plan the village's nights with its own cadres, optimally except consecutive nights.

    ``helpers`` are cadres of other villages who may be borrowed for the nights the own
    cadres cannot cover (each such stay costs BORROW_COST, so only when needed). Stays
    already planned stay; consecutive nights next to them (or to the week's boundary
    nights) are priced exactly, only pairs of two new nights are left to ``repair``.
    """
    own = state.members.get(vid, [])
    members = own + [c for c in helpers or [] if state.home[c] != vid]
    nights = [n for n in state.nights if n not in state.frozen]
    if not members or not nights:
        return
    heavy = state.heavy
    n_c = len(members)
    source, sink = 0, 1
    cadre_node = {cid: 2 + i for i, cid in enumerate(members)}
    heavy_node = {cid: 2 + n_c + i for i, cid in enumerate(members)}
    night_node = {n: 2 + 2 * n_c + i for i, n in enumerate(nights)}
    net = _Network(2 + 2 * n_c + len(nights))
    stay_arcs: list[tuple[int, int, object]] = []
    offered: dict[object, int] = {}  # night -> cadres who may be planned on it
    plans = {cid: _cadre_arcs(state, vid, cid, nights) for cid in members}
    allowed = _cheapest_helpers(state, vid, plans, len(nights)) if helpers else None
    for cid in members:
        plan = plans[cid]
        if plan is None:
            continue
        room, extra, arcs, heavy_base, heavy_count = plan
        if allowed is not None and state.home[cid] != vid:
            arcs = [a for a in arcs if (cid, a[0]) in allowed]
            if not arcs:
                continue
            heavy_count = sum(1 for a in arcs if a[0] in heavy)
        cn = cadre_node[cid]
        if cid in state.required and not state.at[cid] and not extra:
            net.arc(source, cn, 1, -MIN_REWARD)
            room -= 1
        if room > 0:
            net.arc(source, cn, room, 0)
        for k in range(1, min(heavy_count, pc.MAX_NIGHTS) + 1):
            net.arc(cn, heavy_node[cid], 1, pc.heavy_marginal(heavy_base + k))
        for n, c in arcs:
            offered[n] = offered.get(n, 0) + 1
            origin = heavy_node[cid] if n in heavy else cn
            stay_arcs.append((net.arc(origin, night_node[n], 1, c), cid, n))
    beds = state.beds.get(vid, pc.DEFAULT_BEDS)
    cap = len(own) + beds
    for n in nights:
        nn = night_node[n]
        have = state.count[(vid, n)]
        units = min(offered.get(n, 0), cap)
        if units:
            net.convex_arc(
                nn,
                sink,
                [
                    -COVER_REWARD if k == 1 else pc.extra_marginal(k, beds)
                    for k in range(have + 1, have + units + 1)
                ],
            )
    net.min_cost_flow(source, sink)
    for arc, cid, n in stay_arcs:
        if net.cap[arc] == 0:
            state.add(cid, vid, n)


def _cadre_arcs(state: TownshipState, vid: int, cid: int, nights: list):
    """(room, extra, [(night, arc cost)], heavy base, heavy nights) of one cadre, or None.

    ``nights`` are the week's nights that are not past.
    """
    stays = state.at[cid]
    room = pc.MAX_NIGHTS - len(stays)
    if room <= 0:
        return None
    leave = state.leave[cid]
    plannable = [n for n in nights if n not in leave and n not in stays]
    if not plannable:
        return None
    extra = 0
    if state.home[cid] != vid:
        # A lender whose only night doubles a covered night will drop it afterwards.
        extra = pc.BORROW_COST
        if len(stays) == 1:
            ((night, at),) = stays.items()
            if state.movable(cid, night) and state.count.get((at, night), 0) >= 2:
                extra -= state.cell_cost((at, night)) - state.cell_cost((at, night), -1)
    ncost = state.ncost[cid]
    prev = state.prev[cid]
    boundary = state.boundary.get(cid)
    near = (set(stays) | boundary if boundary else set(stays)) if stays or boundary else None
    arcs = []
    for n in plannable:
        c = ncost[n] + extra
        if prev and prev.get(n) == vid:
            c -= pc.CHANGE_COST
        if near:
            c += pc.CONSECUTIVE_COST * ((n - _ONE_DAY in near) + (n + _ONE_DAY in near))
        arcs.append((n, c))
    heavy = state.heavy
    base = state.heavy_count[cid]
    if stays:
        base += sum(1 for n in stays if n in heavy)
    return room, extra, arcs, base, sum(1 for n in plannable if n in heavy)


def _cheapest_helpers(state: TownshipState, vid: int, plans: dict, keep: int) -> set:
    """The (helper, night) arcs worth offering: per night the ``keep`` cheapest helpers.

    A borrowed night needs one helper; with at most ``keep`` nights borrowed, at most
    ``keep - 1`` other helpers are busy, so one of a night's ``keep`` cheapest is free and
    no dearer than any other: the optimum is unchanged, and the flow's graph is small.
    """
    by_night: dict = {}
    for order, (cid, plan) in enumerate(plans.items()):
        if plan is None or state.home[cid] == vid:
            continue
        _room, _extra, arcs, base, _count = plan
        first_heavy = pc.heavy_marginal(base + 1)
        for n, c in arcs:
            cost = c + (first_heavy if n in state.heavy else 0)
            by_night.setdefault(n, []).append((cost, order, cid))
    allowed = set()
    for n, offers in by_night.items():
        offers.sort()
        allowed.update((cid, n) for _cost, _order, cid in offers[:keep])
    return allowed
