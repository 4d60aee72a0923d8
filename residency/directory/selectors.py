"""Reads of the directory. Each takes the caller's scope and returns a queryset
with the joins its page needs, so a page's query count does not grow with the data."""
from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from residency.access.scoping import Scope
from residency.directory.stations import in_force_on_q
from residency.models import AuditLog, Cadre, County, Station, Township, Village


def county_list(*, scope: Scope) -> QuerySet[County]:
    return scope.filter(County.objects.annotate(township_count=Count("townships")).order_by("code"))


def township_list(*, scope: Scope) -> QuerySet[Township]:
    return scope.filter(
        Township.objects.select_related("county").annotate(
            village_count=Count("villages", distinct=True),
            cadre_count=Count("cadres", filter=Q(cadres__active=True), distinct=True),
        ).order_by("county__code", "code")
    )


def village_list(*, scope: Scope, township_id: int | None = None, q: str = "") -> QuerySet[Village]:
    qs = Village.objects.select_related("township").annotate(
        cadre_count=Count("stations", filter=Q(stations__end__isnull=True), distinct=True),
    ).order_by("township__code", "code")
    if township_id:
        qs = qs.filter(township_id=township_id)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__contains=q))
    return scope.filter(qs)


def open_stations() -> Prefetch:
    return Prefetch("stations", queryset=Station.objects.filter(end__isnull=True)
                    .select_related("village"), to_attr="open_stations")


def cadre_list(*, scope: Scope, village_id: int | None = None, q: str = "") -> QuerySet[Cadre]:
    qs = Cadre.objects.select_related("township", "user").prefetch_related(open_stations())
    if village_id:
        qs = qs.filter(stations__village_id=village_id, stations__end__isnull=True)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(user__username__contains=q))
    return scope.filter(qs)


def station_history(*, cadre: Cadre) -> QuerySet[Station]:
    return cadre.stations.select_related("village__township").order_by("-start")


def current_station(*, cadre: Cadre) -> Station | None:
    """The station in force today (one starting later is not yet)."""
    return (cadre.stations.filter(in_force_on_q(timezone.localdate()))
            .select_related("village__township")
            .order_by("-start").first())


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
