"""Everything the reviewer sees before deciding an incident, and where to go next."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from residency.access.scoping import Scope

from .. import sources
from ..models import Violation


@dataclass
class IncidentEvidence:
    signals: list
    night: dict = field(default_factory=dict)
    others: list = field(default_factory=list)  # the cadre's other incidents that year
    merged: list = field(default_factory=list)  # rows folded into this one (with decisions)


def incident_evidence(*, violation: Violation) -> IncidentEvidence:
    """Signals, the night's records and the cadre's other incidents that year. A constant
    number of queries (eight)."""
    night = {}
    if violation.source != Violation.Source.WEEK_BELOW_MINIMUM:
        night = sources.night_evidence(cadre_id=violation.cadre_id, night=violation.occurred_on)
    others = list(Violation.objects.filter(cadre_id=violation.cadre_id,
                                           occurred_on__year=violation.occurred_on.year,
                                           merged_into__isnull=True)
                  .exclude(pk=violation.pk).select_related("appeal")
                  .order_by("occurred_on", "pk"))
    merged = list(violation.merged.select_related("appeal", "decided_by__official").order_by("pk"))
    return IncidentEvidence(signals=list(violation.signals.all()), night=night, others=others,
                            merged=merged)


def next_undecided(*, scope: Scope, after: Violation) -> Violation | None:
    """The next undecided incident in the reviewer's scope, in the register's order
    (newest night first), wrapping round to the first; None when none is left."""
    candidates = scope.filter(Violation.objects.filter(status=Violation.Status.CANDIDATE,
                                                       merged_into__isnull=True)
                              .exclude(pk=after.pk)).order_by("-occurred_on", "-id")
    later = candidates.filter(Q(occurred_on__lt=after.occurred_on)
                              | Q(occurred_on=after.occurred_on, pk__lt=after.pk)).first()
    return later or candidates.first()
