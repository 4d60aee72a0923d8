from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from residency.access.roles import Role
from residency.access.scoping import Scope

from ..models import Problem, Visit

OPEN = [Problem.Status.RAISED, Problem.Status.IN_PROGRESS]


def problem_list(*, scope: Scope, user, status: str = "", overdue: bool = False,
                 mine: bool = False) -> QuerySet[Problem]:
    """Problems the user may read: a village cadre those handed to him or her, a cadre
    those raised or owned, admins their scope."""
    qs = Problem.objects.select_related("owner__official", "owner__cadre", "raised_by", "village__township", "household")
    if scope.role == Role.VILLAGE_CADRE:
        qs = qs.filter(owner=user)
    elif scope.role == Role.CADRE:
        qs = qs.filter(Q(raised_by_id=scope.cadre_id) | Q(owner=user))
    else:
        qs = scope.filter(qs)
    if mine:
        qs = qs.filter(owner=user)
    if status in Problem.Status.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN, due_date__lt=timezone.localdate())
    return qs.order_by("due_date", "-id")


def visit_list(*, scope: Scope) -> QuerySet[Visit]:
    return scope.filter(Visit.objects.select_related("cadre__user", "household__village__township",
                                                     "stay"))
