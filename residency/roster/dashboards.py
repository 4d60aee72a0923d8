"""Reads for the roster grid and the coverage dashboards. Every function runs a constant
number of queries whatever the number of villages, cadres, nights or weeks."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from residency.directory.stations import in_force_on_q, overlapping_q
from residency.models import Leave, RosterWeek, Station, Stay, Township, WorkdayOverride
from residency.nights import workdays
from residency.roster.selectors import last_begun_night, last_closed_night
from residency.roster.services.calendar import uncovered_years

PUBLISHED = RosterWeek.Status.PUBLISHED


@dataclass
class Cell:
    day: date
    workday: bool
    stays: list = field(default_factory=list)
    leave: list = field(default_factory=list)
    gap_reason: str = ""
    gap_short: str = ""  # the reason in a few words, written in the cell (see ``gap_short``)
    closed: bool = False  # a published night whose check-in window has closed

    @property
    def checked_in(self) -> bool:
        return any(s.stayed for s in self.stays)  # a check-in, or corrected to present

    @property
    def state(self) -> str:
        """checked_in / missed (window closed, nobody checked in) / planned / gap / holiday
        (leave is shown alongside)."""
        if self.stays:
            if self.checked_in:
                return "checked_in"
            return "missed" if self.closed else "planned"
        return "gap" if self.workday else "holiday"


@dataclass
class Grid:
    township: Township
    days: list[date]
    workdays: list[bool]
    rows: list[tuple]  # (village, [Cell])
    weeks: dict[date, RosterWeek]
    workday_cells: int = 0
    covered_cells: int = 0
    checked_cells: int = 0
    begun_cells: int = 0  # workday village-nights that have begun (check-ins are out of these)
    calendar_warning_years: list[int] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.covered_cells / self.workday_cells if self.workday_cells else None

    @property
    def share_pct(self) -> str:
        return "—" if self.share is None else f"{self.share * 100:.1f}%"


def gap_short(*, stationed: int, on_leave: int, past: bool, planner_reason: str) -> str:
    """Why a workday night of a village has nobody, in the few words a phone cell holds."""
    if stationed == 0:
        return _("无驻村干部")
    if on_leave >= stationed:
        return _("全部请假")
    if past:
        return _("当晚无人住夜")
    if planner_reason:
        return _("无可借调干部")
    return _("未安排")


def _overrides(county_ids, start: date, end: date) -> dict[int, dict[date, bool]]:
    out: dict[int, dict[date, bool]] = defaultdict(dict)
    for cid, day, flag in WorkdayOverride.objects.filter(
            county_id__in=list(county_ids), date__range=(start, end)).values_list(
            "county_id", "date", "is_workday"):
        out[cid][day] = flag
    return out


def coverage_grid(*, township: Township, start: date, end: date, published_only: bool = False) -> Grid:
    """The village x night grid of ``start..end`` for one township (six queries)."""
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    ov = _overrides([township.county_id], start, end + timedelta(days=1))[township.county_id]
    flags = [workdays.is_workday(d, ov) for d in days]
    villages = list(township.villages.order_by("code"))
    weeks = {w.week_start: w for w in RosterWeek.objects.filter(
        township=township, week_start__gte=start - timedelta(days=6), week_start__lte=end)}
    stays = Stay.objects.filter(village__township=township, night__range=(start, end)).select_related(
        "cadre").order_by("night", "cadre__name")
    if published_only:
        stays = stays.filter(week__status=PUBLISHED)
    by_cell = defaultdict(list)
    for s in stays:
        by_cell[(s.village_id, s.night)].append(s)
    home = dict(Station.objects.filter(overlapping_q(start, end), village__township=township)
                .order_by("cadre_id", "start").values_list("cadre_id", "village_id"))
    leave_cell = defaultdict(list)
    for cid, name, s, e in Leave.objects.filter(
            cadre__township=township, status=Leave.Status.APPROVED, start__lte=end,
            end__gte=start).values_list("cadre_id", "cadre__name", "start", "end"):
        d = max(s, start)
        while d <= min(e, end):
            if cid in home:
                leave_cell[(home[cid], d)].append(name)
            d += timedelta(days=1)
    stationed = defaultdict(int)
    for village_id in home.values():
        stationed[village_id] += 1
    today = timezone.localdate()
    reasons = {}
    for w in weeks.values():
        for g in w.gaps or []:
            reasons[(g.get("village_id"), g.get("night"))] = g.get("reason", "")
    # Nights of published weeks whose check-in window has closed: a stay there with no
    # check-in is a missed check-in (a draft was never shown to the cadre).
    last_closed = last_closed_night()
    last_begun = last_begun_night()
    closed_days = {d for d in days if d <= last_closed and getattr(
        weeks.get(d - timedelta(days=d.weekday())), "status", None) == PUBLISHED}
    grid = Grid(township=township, days=days, workdays=flags, rows=[], weeks=weeks,
                calendar_warning_years=uncovered_years(years={d.year for d in days}))
    for v in villages:
        cells = []
        for d, wd in zip(days, flags, strict=True):
            cell = Cell(day=d, workday=wd, stays=by_cell.get((v.pk, d), []),
                        leave=leave_cell.get((v.pk, d), []), closed=d in closed_days)
            if wd:
                grid.workday_cells += 1
                grid.begun_cells += d <= last_begun
                if cell.stays:
                    grid.covered_cells += 1
                    grid.checked_cells += cell.checked_in
                else:
                    cell.gap_reason = reasons.get((v.pk, d.isoformat()), "")
                    cell.gap_short = gap_short(stationed=stationed[v.pk], on_leave=len(cell.leave),
                                               past=d < today, planner_reason=cell.gap_reason)
            cells.append(cell)
        grid.rows.append((v, cells))
    return grid


def cadre_week_counts(*, township: Township, week_start: date) -> list[dict]:
    """Each cadre's nights in the week, flagged below (0 while needed) or above (>2) the
    weekly range of 1-2 nights. Four queries."""
    sunday = week_start + timedelta(days=6)
    ov = _overrides([township.county_id], week_start, sunday + timedelta(days=1))[township.county_id]
    nights = [d for d in (week_start + timedelta(days=i) for i in range(7)) if workdays.is_workday(d, ov)]
    cadres = list(Station.objects.filter(in_force_on_q(nights[-1] if nights else sunday),
                                         village__township=township,
                                         cadre__active=True).select_related("cadre", "village")
                  .order_by("village__code", "cadre__name"))
    counts = dict(Stay.objects.filter(cadre__township=township, night__range=(week_start, sunday))
                  .values("cadre_id").annotate(n=Count("pk")).values_list("cadre_id", "n"))
    leave = defaultdict(list)
    for cid, s, e in Leave.objects.filter(cadre__township=township, status=Leave.Status.APPROVED,
                                          start__lte=sunday, end__gte=week_start).values_list(
            "cadre_id", "start", "end"):
        leave[cid].append((s, e))
    out = []
    for st in cadres:
        n = counts.get(st.cadre_id, 0)
        needed = any(not any(s <= d <= e for s, e in leave[st.cadre_id]) for d in nights)
        status = "below" if (n == 0 and needed) else "above" if n > 2 else "ok"
        out.append({"cadre": st.cadre, "village": st.village, "nights": n, "needed": needed,
                    "status": status})
    return out


def township_coverage(*, townships: list[Township], start: date, end: date,
                      published_only: bool = True, until: date | None = None) -> dict[int, dict]:
    """Per township: workday village-nights, covered, checked in, share, and per ISO week
    (for the trend chart). ``begun`` counts the workday village-nights up to ``until`` (the
    last night that has begun: ``roster_selectors.last_begun_night``) and ``checked`` only
    those: a night still to come is never counted as a missing check-in. Four queries for
    any number of townships."""
    until = end if until is None else until
    ids = [t.pk for t in townships]
    county_ids = {t.county_id for t in townships}
    ov = _overrides(county_ids, start, end + timedelta(days=1))
    village_counts = dict(Township.objects.filter(pk__in=ids).annotate(n=Count("villages"))
                          .values_list("pk", "n"))
    qs = Stay.objects.filter(village__township_id__in=ids, night__range=(start, end))
    if published_only:
        qs = qs.filter(week__status=PUBLISHED)
    rows = (qs.values("village__township_id", "night")
            .annotate(v=Count("village_id", distinct=True),
                      c=Count("village_id", distinct=True, filter=Q(checked_in_at__isnull=False))))
    covered = defaultdict(dict)
    for r in rows:
        covered[r["village__township_id"]][r["night"]] = (r["v"], r["c"])
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    out = {}
    for t in townships:
        flags = {d: workdays.is_workday(d, ov[t.county_id]) for d in days}
        nv = village_counts.get(t.pk, 0)
        total = cov = chk = begun = 0
        weekly: dict[date, list[int]] = {}
        for d in days:
            if not flags[d]:
                continue
            v, c = covered[t.pk].get(d, (0, 0))
            total += nv
            cov += v
            if d <= until:
                begun += nv
                chk += c
            wk = weekly.setdefault(d - timedelta(days=d.weekday()), [0, 0])
            wk[0] += nv
            wk[1] += v
        out[t.pk] = {"township": t, "villages": nv, "total": total, "covered": cov,
                     "checked": chk, "begun": begun, "share": (cov / total) if total else None,
                     "weekly": {w: (b / a if a else None) for w, (a, b) in sorted(weekly.items())}}
    return out
