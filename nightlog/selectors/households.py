from __future__ import annotations

from django.db.models import Q, QuerySet

from residency.scoping import Scope

from .fields import contains_code
from .models import Household


def household_list(*, scope: Scope, village_id: int | None = None, category: str = "",
                   q: str = "") -> QuerySet[Household]:
    qs = Household.objects.select_related("village__township")
    if village_id:
        qs = qs.filter(village_id=village_id)
    if category:
        qs = qs.filter(**contains_code("categories", category))
    if q:
        qs = qs.filter(Q(head__contains=q) | Q(group__contains=q) | Q(address__contains=q))
    return scope.filter(qs)
