"""Reads of the audit log, scoped to the reader."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from residency.access.scoping import Scope
from residency.models import AuditLog


def audit_log(*, scope: Scope, action: str = "") -> QuerySet[AuditLog]:
    qs = AuditLog.objects.select_related("user")
    if action:
        qs = qs.filter(action=action)
    if scope.level != "all":
        # The organisation department reads every row of its county (AuditLog.county, set
        # when the row is written); rows written before that column by its county's users.
        ids = sorted(scope.county_ids)
        User = get_user_model()
        county_users = User.objects.filter(
            Q(cadre__township__county_id__in=ids) | Q(official__county_id__in=ids)
            | Q(official__township__county_id__in=ids)
            | Q(official__village__township__county_id__in=ids)
            | Q(official__inspected_villages__township__county_id__in=ids)).values("pk")
        qs = qs.filter(Q(county_id__in=ids) | Q(county__isnull=True, user__in=county_users))
    return qs
