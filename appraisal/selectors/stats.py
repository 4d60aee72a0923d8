"""County statistics for the charts: grade distribution, satisfaction by township and
violations by month. Built from the streamed rows plus one aggregate query."""
from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from residency.access.scoping import Scope

from .. import grading
from ..models import Grade, Violation, standing_q
from .appraisals import iter_appraisal_rows


def county_statistics(*, scope: Scope, year: int) -> dict:
    proposed: Counter = Counter()
    final: Counter = Counter()
    sums: dict[str, list] = defaultdict(lambda: [Decimal(0), 0])
    cadres = golden = 0
    for row in iter_appraisal_rows(scope=scope, year=year):
        cadres += 1
        golden += row.golden
        proposed[row.proposed_grade] += 1
        if row.final_grade:
            final[row.final_grade] += 1
        if row.satisfaction is not None:
            sums[row.township][0] += row.satisfaction
            sums[row.township][1] += 1
    months = dict(scope.filter(Violation.objects.filter(standing_q(), occurred_on__year=year))
                  .annotate(month=ExtractMonth("occurred_on")).values("month")
                  .annotate(n=Count("id")).values_list("month", "n"))
    grades = list(grading.GRADE_LABELS)
    return {
        "cadres": cadres,
        "golden": golden,
        "grade_labels": [str(Grade(g).label) for g in grades],
        "proposed": [proposed[g] for g in grades],
        "final": [final[g] for g in grades],
        "townships": list(sums),
        "township_satisfaction": [float((s / n).quantize(Decimal("0.1"))) for s, n in sums.values()],
        "months": list(range(1, 13)),
        "violations_by_month": [months.get(m, 0) for m in range(1, 13)],
    }
