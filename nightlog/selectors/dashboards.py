"""Home-page figures per role. Each costs a constant number of queries."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from residency.models import Cadre, Township, Village
from residency.nights.clock import night_of_local

from ..linking import MINIMUM_LINKS
from ..models import Household, LinkedHousehold, Problem, Visit
from ..nights import median, quarter_bounds, week_bounds
from .common import period_range, window_end

OPEN = [Problem.Status.RAISED, Problem.Status.IN_PROGRESS]
DONE = [Problem.Status.RESOLVED, Problem.Status.CONFIRMED]


def cadre_home(*, cadre: Cadre, user, today: date | None = None) -> dict:
    """Linked households, visits this week, open problems (tonight's stay and its check-in
    button are on the residency card of the same page). Three queries."""
    now = timezone.now()
    today = today or timezone.localdate()
    tonight = night_of_local(timezone.localtime(now), window_end())
    week_start, week_end = week_bounds(today)
    start, stop = period_range(week_start, week_end)
    links = list(LinkedHousehold.objects.filter(cadre=cadre, until__isnull=True)
                 .select_related("household").order_by("household__group", "household__head"))
    problems = list(Problem.objects.filter(Q(raised_by=cadre) | Q(owner=user), status__in=OPEN)
                    .select_related("owner__official", "owner__cadre", "household").order_by("due_date")[:10])
    return {
        "tonight": tonight,
        "links": links,
        "below_minimum": len(links) < MINIMUM_LINKS,
        "minimum": MINIMUM_LINKS,
        "visits_this_week": Visit.objects.filter(cadre=cadre, visited_at__gte=start,
                                                 visited_at__lt=stop).count(),
        "open_problems": problems,
        "today": today,
    }


def village_cadre_home(*, user, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    problems = list(Problem.objects.filter(owner=user, status__in=OPEN)
                    .select_related("raised_by", "household").order_by("due_date")[:20])
    return {"problems": problems, "overdue": sum(p.due_date < today for p in problems),
            "today": today}


def _problem_figures(rows) -> dict:
    """rows: (created_at, status, resolved_at). Resolution rate and median days."""
    total = len(rows)
    durations = [(r[2] - r[0]).total_seconds() / 86400 for r in rows
                 if r[1] in DONE and r[2] is not None]
    med = median(durations)
    return {"total": total, "resolved": len(durations),
            "rate": round(100 * len(durations) / total) if total else 0,
            "median_days": round(med, 1) if med is not None else None}


def _period(since: date | None, until: date | None, today: date) -> tuple[date, date]:
    q_start, q_end = quarter_bounds(today)
    return since or q_start, until or q_end


def township_dashboard(*, township_id: int, since: date | None = None,
                       until: date | None = None, today: date | None = None) -> dict:
    """Visits per cadre, must-visit coverage per village, problem resolution rate and
    median time, the overdue list, cadres below 5 ties and must-visit households with no
    responsible cadre. Seven queries."""
    today = today or timezone.localdate()
    since, until = _period(since, until, today)
    start, stop = period_range(since, until)
    cadres = list(
        Cadre.objects.filter(township_id=township_id, active=True)
        .annotate(visit_count=_count_of(Visit.objects.filter(visited_at__gte=start,
                                                            visited_at__lt=stop)),
                  link_count=_count_of(LinkedHousehold.objects.filter(until__isnull=True)))
        .order_by("name"))
    villages = _coverage_by(Village.objects.filter(township_id=township_id),
                            "households__", start, stop)
    unlinked_qs = (Household.objects.filter(village__township_id=township_id)
                   .exclude(categories="")
                   .exclude(Exists(LinkedHousehold.objects.filter(household=OuterRef("pk"),
                                                                  until__isnull=True)))
                   .select_related("village"))
    unlinked = list(unlinked_qs.order_by("village_id", "head")[:51])
    rows = list(Problem.objects.filter(village__township_id=township_id, created_at__gte=start,
                                       created_at__lt=stop)
                .values_list("created_at", "status", "resolved_at"))
    overdue = list(Problem.objects.filter(village__township_id=township_id, status__in=OPEN,
                                          due_date__lt=today)
                   .select_related("owner__official", "owner__cadre", "raised_by", "village__township")
                   .order_by("due_date")[:20])
    return {
        "since": since, "until": until, "today": today,
        "cadres": cadres,
        "cadres_below": [c for c in cadres if c.link_count < MINIMUM_LINKS],
        "minimum": MINIMUM_LINKS,
        "villages": villages,
        "unlinked": unlinked[:50], "unlinked_more": len(unlinked) > 50,
        "problems": _problem_figures(rows),
        "overdue": overdue,
    }


def _count_of(rows):
    """Rows of ``rows`` (a queryset with a ``cadre`` key) per outer cadre, counted in a
    correlated subquery: two such counts on one cadre do not multiply each other's joins."""
    return Coalesce(Subquery(rows.filter(cadre=OuterRef("pk")).order_by().values("cadre")
                             .annotate(n=Count("id")).values("n")), 0)


def _coverage_by(qs, prefix: str, start, stop):
    """Annotate must-visit households and those visited in [start, stop) per row of qs.

    Each figure is a correlated subquery over the row's households (``prefix`` names the
    path from the row to them): no join of every household with every visit to count
    distinct ids afterwards."""
    outer = {"households__": "village", "villages__households__": "village__township"}[prefix]
    must = Household.objects.exclude(categories="").filter(**{outer: OuterRef("pk")}).order_by()
    visited = Visit.objects.filter(household=OuterRef("pk"), visited_at__gte=start,
                                   visited_at__lt=stop)

    def counted(households):
        return Coalesce(Subquery(households.values(outer).annotate(n=Count("id")).values("n")), 0)

    rows = list(qs.annotate(
        must_total=counted(must),
        must_covered=counted(must.filter(Exists(visited))),
    ).order_by("code"))
    for row in rows:
        row.share = round(100 * row.must_covered / row.must_total) if row.must_total else 0
    return rows


def org_dashboard(*, county_id: int, since: date | None = None, until: date | None = None,
                  today: date | None = None) -> dict:
    """The township dashboard's figures per township of the county. Five queries."""
    today = today or timezone.localdate()
    since, until = _period(since, until, today)
    start, stop = period_range(since, until)
    townships = _coverage_by(Township.objects.filter(county_id=county_id),
                             "villages__households__", start, stop)
    visits = dict(Visit.objects.filter(household__village__township__county_id=county_id,
                                       visited_at__gte=start, visited_at__lt=stop)
                  .values("household__village__township_id").annotate(n=Count("id"))
                  .values_list("household__village__township_id", "n").order_by())
    cadres = dict(Cadre.objects.filter(township__county_id=county_id, active=True)
                  .values("township_id").annotate(n=Count("id"))
                  .values_list("township_id", "n").order_by())
    by_township = defaultdict(list)
    for tid, created, status, resolved in (
            Problem.objects.filter(village__township__county_id=county_id,
                                   created_at__gte=start, created_at__lt=stop)
            .values_list("village__township_id", "created_at", "status", "resolved_at")):
        by_township[tid].append((created, status, resolved))
    for t in townships:
        t.visit_count = visits.get(t.pk, 0)
        t.cadre_count = cadres.get(t.pk, 0)
        t.problems = _problem_figures(by_township.get(t.pk, []))
    overdue = list(Problem.objects.filter(village__township__county_id=county_id,
                                          status__in=OPEN, due_date__lt=today)
                   .select_related("owner__official", "owner__cadre", "raised_by", "village__township")
                   .order_by("due_date")[:20])
    return {"since": since, "until": until, "today": today, "townships": townships,
            "overdue": overdue}


