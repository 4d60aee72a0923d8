"""The figures of the monthly and yearly statistics, per village, with the township total
and the chart series (docs/STATISTICS.md says what each figure means).

They read the three systems: the roster (residency), the night log (nightlog) and the
review meetings (appraisal), so they live here, in the latest of the three apps.
``village_statistics`` runs a constant number of queries (ten) whatever the number of
villages, nights, visits or problems.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nightlog.models import Consultation, Household, MustVisit, OnSiteOffice, Problem, Visit
from nightlog.selectors.common import period_range
from residency.models import RosterWeek, Stay, Village, WorkdayOverride
from residency.nights import workdays
from residency.roster.selectors import last_begun_night

from ..models import ReviewMeeting
from .period import Period, Span, week_label

DONE = [Problem.Status.RESOLVED, Problem.Status.CONFIRMED]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class VillageFigures:
    """One row of the table (a village, or the total when ``village_id`` is None)."""

    township: str
    village: str
    township_id: int | None = None
    village_id: int | None = None
    nights_required: int = 0   # 应住夜数: workday nights begun in the period
    nights_stayed: int = 0     # 已住夜数: of those, nights with a published stay
    nights_checked: int = 0    # of those, nights with a check-in
    visits: int = 0            # 走访户次
    must_households: int = 0   # must-visit households of the village
    must_visited: int = 0      # of those, visited in the period
    problems: int = 0          # 问题数: raised in the period
    resolved: int = 0          # 已办结: resolved in the period
    on_site_resolved: int = 0  # 现场办公办结: of those, with a recorded 现场办公
    consultations: int = 0     # 集中恳谈次数
    meetings: int = 0          # 述职评议大会 held in the period (0/1 a village; total: villages)

    @property
    def checkin_rate(self) -> float | None:
        """签到率: nights with a check-in / nights stayed (planned and published)."""
        return _rate(self.nights_checked, self.nights_stayed)

    @property
    def must_visit_rate(self) -> float | None:
        """必访户覆盖率: must-visit households visited in the period / must-visit households."""
        return _rate(self.must_visited, self.must_households)

    @property
    def meeting_held(self) -> bool:
        return self.meetings > 0

    def add(self, other: VillageFigures) -> None:
        for name in ("nights_required", "nights_stayed", "nights_checked", "visits",
                     "must_households", "must_visited", "problems", "resolved",
                     "on_site_resolved", "consultations", "meetings"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Statistics:
    period: Period | Span
    until: date | None  # the last night counted (None: the period has not begun)
    rows: list[VillageFigures]
    total: VillageFigures
    weeks: list[dict] = field(default_factory=list)       # label, required, stayed, checked
    visit_categories: list[tuple[str, int]] = field(default_factory=list)
    problem_states: list[tuple[str, int]] = field(default_factory=list)

    def by_township(self) -> list[tuple[int, VillageFigures]]:
        """(number of villages, the sums) per township, in the rows' order: the county view
        and the xlsx's 镇(街道)汇总 sheet."""
        out: dict[int | None, list] = {}
        for row in self.rows:
            entry = out.setdefault(row.township_id, [0, VillageFigures(
                township=row.township, village="", township_id=row.township_id)])
            entry[0] += 1
            entry[1].add(row)
        return [(count, figures) for count, figures in out.values()]

    def chart_data(self) -> dict:
        """Plain values for the page's charts (``json_script``)."""
        return {
            "series": {"coverage": _("覆盖率 (%)"), "checkin": _("签到率 (%)"),
                       "visits": _("走访户次"), "problems": _("问题数")},
            "weeks": [w["label"] for w in self.weeks],
            "coverage": [round(100 * w["stayed"] / w["required"], 1) if w["required"] else None
                         for w in self.weeks],
            "checkin": [round(100 * w["checked"] / w["stayed"], 1) if w["stayed"] else None
                        for w in self.weeks],
            "category_labels": [label for label, _n in self.visit_categories],
            "category_counts": [n for _label, n in self.visit_categories],
            "state_labels": [label for label, _n in self.problem_states],
            "state_counts": [n for _label, n in self.problem_states],
            "meeting_labels": [_("已召开"), _("未召开")],
            "meeting_counts": [self.total.meetings, len(self.rows) - self.total.meetings],
        }


def village_statistics(*, township_ids: list[int], period: Period | Span, now=None) -> Statistics:
    """The figures of every village of ``township_ids`` for ``period`` (ten queries)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    ids = sorted(set(township_ids))
    start = period.start
    until = min(period.end, last_begun_night(now))
    villages = list(Village.objects.filter(township_id__in=ids).select_related("township")
                    .order_by("township__county__code", "township__code", "code"))
    rows = {v.pk: VillageFigures(township=v.township.name, village=v.name,
                                 township_id=v.township_id, village_id=v.pk) for v in villages}
    weeks: dict[date, dict] = {}
    if until >= start and villages:
        _nights(villages, rows, weeks, start, until, period)
    _night_log(ids, rows, period)
    visit_categories = _visit_categories(ids, period)
    problem_states = _problem_states(ids, period)
    held_until = min(period.end, today)
    if held_until >= start:
        for village_id in (ReviewMeeting.objects.filter(
                village__township_id__in=ids, held_on__gte=start, held_on__lte=held_until)
                .values_list("village_id", flat=True)):
            rows[village_id].meetings = 1
    total = VillageFigures(township=_("合计"), village="")
    for row in rows.values():
        total.add(row)
    return Statistics(period=period, until=until if until >= start else None,
                      rows=list(rows.values()), total=total,
                      weeks=[weeks[k] for k in sorted(weeks)],
                      visit_categories=visit_categories, problem_states=problem_states)


def _nights(villages, rows, weeks, start: date, until: date, period: Period | Span) -> None:
    """应住 / 已住 / 签到 per village, and per ISO week for the trend (two queries)."""
    county_of = {v.pk: v.township.county_id for v in villages}
    overrides: dict[int, dict[date, bool]] = defaultdict(dict)
    for county_id, day, flag in WorkdayOverride.objects.filter(
            county_id__in=sorted(set(county_of.values())), date__range=(start, until)
    ).values_list("county_id", "date", "is_workday"):
        overrides[county_id][day] = flag
    days = [start + timedelta(days=i) for i in range((until - start).days + 1)]
    for day in days:  # every week of the span, even one without a workday (Spring Festival)
        monday = day - timedelta(days=day.weekday())
        weeks.setdefault(monday, {"label": week_label(monday, period.start, period.end),
                                  "required": 0, "stayed": 0, "checked": 0})
    workday = {cid: {d for d in days if workdays.is_workday(d, overrides[cid])}
               for cid in set(county_of.values())}
    covered = {}
    for village_id, night, checked in (
            Stay.objects.filter(village_id__in=list(rows), night__range=(start, until),
                                week__status=RosterWeek.Status.PUBLISHED)
            .values("village_id", "night")
            .annotate(checked=Count("pk", filter=Q(checked_in_at__isnull=False)))
            .values_list("village_id", "night", "checked")):
        covered[(village_id, night)] = checked > 0
    for village in villages:
        row = rows[village.pk]
        for day in sorted(workday[county_of[village.pk]]):
            monday = day - timedelta(days=day.weekday())
            week = weeks[monday]
            row.nights_required += 1
            week["required"] += 1
            if (village.pk, day) in covered:
                row.nights_stayed += 1
                week["stayed"] += 1
                if covered[(village.pk, day)]:
                    row.nights_checked += 1
                    week["checked"] += 1


def _night_log(ids, rows, period: Period | Span) -> None:
    """Visits, must-visit coverage, problems, consultations per village (four queries)."""
    begin, stop = period_range(period.start, period.end)
    in_period = Q(visited_at__gte=begin, visited_at__lt=stop)
    for village_id, n in (Visit.objects.filter(in_period, household__village__township_id__in=ids)
                          .values("household__village_id").annotate(n=Count("pk"))
                          .values_list("household__village_id", "n")):
        rows[village_id].visits = n
    for village_id, total, visited in (
            Household.objects.filter(village__township_id__in=ids).exclude(categories="")
            .annotate(seen=Exists(Visit.objects.filter(household=OuterRef("pk"),
                                                       visited_at__gte=begin,
                                                       visited_at__lt=stop)))
            .values("village_id")
            .annotate(total=Count("pk"), visited=Count("pk", filter=Q(seen=True)))
            .values_list("village_id", "total", "visited")):
        rows[village_id].must_households, rows[village_id].must_visited = total, visited
    raised = Q(created_at__gte=begin, created_at__lt=stop)
    resolved = Q(status__in=DONE, resolved_at__gte=begin, resolved_at__lt=stop)
    for village_id, n_raised, n_done, n_site in (
            Problem.objects.filter(village__township_id__in=ids).filter(raised | resolved)
            .annotate(on_site=Exists(OnSiteOffice.objects.filter(problem=OuterRef("pk"))))
            .values("village_id")
            .annotate(r=Count("pk", filter=raised), d=Count("pk", filter=resolved),
                      s=Count("pk", filter=resolved & Q(on_site=True)))
            .values_list("village_id", "r", "d", "s")):
        row = rows[village_id]
        row.problems, row.resolved, row.on_site_resolved = n_raised, n_done, n_site
    for village_id, n in (Consultation.objects.filter(
            village__township_id__in=ids, held_on__gte=period.start, held_on__lte=period.end)
            .values("village_id").annotate(n=Count("pk")).values_list("village_id", "n")):
        rows[village_id].consultations = n


def _visit_categories(ids, period: Period | Span) -> list[tuple[str, int]]:
    """Visits by must-visit category of the household (a household in two categories counts
    in both), then visits to other households. One query."""
    begin, stop = period_range(period.start, period.end)
    counts: dict[str, int] = defaultdict(int)
    for categories, n in (Visit.objects.filter(household__village__township_id__in=ids,
                                               visited_at__gte=begin, visited_at__lt=stop)
                          .values("household__categories").annotate(n=Count("pk"))
                          .values_list("household__categories", "n")):
        for code in categories or ["other"]:
            counts[code] += n
    out = [(str(label), counts.get(code, 0)) for code, label in MustVisit.choices]
    return out + [(_("其他农户"), counts.get("other", 0))]


def _problem_states(ids, period: Period | Span) -> list[tuple[str, int]]:
    """Problems raised in the period by their state today. One query."""
    begin, stop = period_range(period.start, period.end)
    counts = dict(Problem.objects.filter(village__township_id__in=ids, created_at__gte=begin,
                                         created_at__lt=stop)
                  .values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [(str(label), counts.get(code, 0)) for code, label in Problem.Status.choices]
