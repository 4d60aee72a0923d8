from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from residency.access.scoping import Scope

from ..fields import contains_code
from ..models import Household, LinkedHousehold


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


def household_options(*, cadre_id: int, village_ids) -> QuerySet[Household]:
    """Households a cadre may log a visit for: those of the station village(s), the cadre's
    linked households on top."""
    linked = LinkedHousehold.objects.filter(cadre_id=cadre_id, household=OuterRef("pk"),
                                            until__isnull=True)
    return (Household.objects.filter(village_id__in=list(village_ids))
            .select_related("village").annotate(linked=Exists(linked))
            .order_by("-linked", "village_id", "group", "head", "pk"))


def is_responsible_cadre(*, user, household: Household) -> bool:
    """The responsible cadre: one with an open tie (LinkedHousehold) to the household."""
    return LinkedHousehold.objects.filter(cadre__user=user, household=household,
                                          until__isnull=True).exists()
