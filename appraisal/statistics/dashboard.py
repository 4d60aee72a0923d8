"""The township dashboard's charts (the township admin's home): the last 12 weeks'
coverage and check-in trend, visits by must-visit category, problems and open problems.
Built on ``village_statistics`` (same definitions as the statistics page), plus one query."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from nightlog.models import Problem

from .figures import Statistics, village_statistics
from .period import Span

TREND_WEEKS = 12


@dataclass
class TownshipCharts:
    span: Span
    stats: Statistics
    open_problems: int
    overdue_problems: int

    @property
    def week(self) -> dict | None:
        """This week's nights so far (only nights that have begun)."""
        return self.stats.weeks[-1] if self.stats.weeks else None


def township_charts(*, township_id: int, now=None) -> TownshipCharts:
    """Eleven queries, whatever the data."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    span = Span.last_weeks(today, TREND_WEEKS)
    stats = village_statistics(township_ids=[township_id], period=span, now=now)
    problems = Problem.objects.filter(village__township_id=township_id,
                                      status__in=Problem.OPEN_STATUSES)
    counts = problems.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    return TownshipCharts(span=span, stats=stats, open_problems=counts["open"],
                          overdue_problems=counts["overdue"])
