"""Reads of the audit log, scoped to the reader."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from residency.access.scoping import Scope
from residency.models import AuditLog


def audit_log(*, scope: Scope, action: str = "") -> QuerySet[AuditLog]:
    qs = AuditLog.objects.select_related("user")
    if action:
        qs = qs.filter(action=action)
    if scope.level != "all":
        # The organisation department reads its county's users' entries.
        qs = qs.filter(Q(user__cadre__township__county_id__in=scope.county_ids)
                       | Q(user__official__county_id__in=scope.county_ids)
                       | Q(user__official__township__county_id__in=scope.county_ids))
    return qs
