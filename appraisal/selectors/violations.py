from __future__ import annotations

from django.db.models import Count, QuerySet

from residency.access.scoping import Scope

from .. import ladder, sources
from ..models import PenaltyAction, Violation, standing_q


def violation_list(*, scope: Scope, status: str = "", year: int | None = None,
                   cadre_id: int | None = None, source: str = "", signal: str = "",
                   merged: bool = False) -> QuerySet[Violation]:
    """The register: one row per incident (rows merged into another are left out unless
    ``merged``), with their signals prefetched."""
    qs = (Violation.objects.select_related("cadre__township", "cadre__user", "decided_by", "appeal")
          .prefetch_related("signals"))
    if not merged:
        qs = qs.filter(merged_into__isnull=True)
    if status == "overturned":
        qs = qs.filter(appeal__outcome="overturned")
    elif status:
        qs = qs.filter(status=status)
    if signal:
        qs = qs.filter(signals__kind=signal).distinct()
    if year:
        qs = qs.filter(occurred_on__year=year)
    if cadre_id:
        qs = qs.filter(cadre_id=cadre_id)
    if source:
        qs = qs.filter(source=source)
    return scope.filter(qs)


def standing_counts(*, cadre_ids: list[int], year: int) -> dict[int, int]:
    """Confirmed violations that stand, per cadre, in ``year`` (one query)."""
    rows = (Violation.objects.filter(standing_q(), cadre_id__in=cadre_ids, occurred_on__year=year)
            .values("cadre_id").annotate(n=Count("id")).values_list("cadre_id", "n"))
    counts = dict.fromkeys(cadre_ids, 0)
    counts.update(dict(rows))
    return counts


def ladder_for(*, cadre_id: int, year: int) -> tuple[ladder.LadderResult, dict[str, PenaltyAction]]:
    """The ladder step (computed from the register) and the actions recorded for it."""
    count = standing_counts(cadre_ids=[cadre_id], year=year)[cadre_id]
    actions = {a.kind: a for a in PenaltyAction.objects.filter(cadre_id=cadre_id, year=year)}
    return ladder.ladder_for_count(count), actions


def township_roster_gaps(*, scope: Scope, weeks: int = 8) -> list:
    """The roster gaps of the last ``weeks`` weeks in the township admin's township: the
    roster's to fix, never a cadre's violation."""
    return sources.recent_roster_gaps(township_ids=scope.township_ids, weeks=weeks)
