"""One scoping mechanism for every list and detail view.

Each model that users read declares ``scope_paths``: the lookups from the model to the
county, township, village and cadre it belongs to (any subset). ``Scope.filter`` narrows
a queryset with the narrowest path the model has at or above the user's level:

- a cadre sees his or her own records (``cadre`` path), else the village(s) stationed in;
- a village cadre sees his or her village; an inspector the villages inspected;
- a township admin the township; the organisation department the county;
- a province (or city) viewer and a system admin see every county.

``scoped_get_or_404`` makes an object outside the scope answer 404.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from residency.access.roles import READ_ONLY_ROLES, Role, role_of
from residency.access.scope_cache import cached_scope
from residency.directory.stations import in_force_on_q

ALL, COUNTY, TOWNSHIP, VILLAGE, CADRE, NONE = "all", "county", "township", "village", "cadre", "none"


@dataclass(frozen=True)
class Scope:
    role: Role | None
    level: str
    cadre_id: int | None = None
    village_ids: frozenset[int] = field(default_factory=frozenset)
    township_ids: frozenset[int] = field(default_factory=frozenset)
    county_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def read_only(self) -> bool:
        return self.role in READ_ONLY_ROLES

    @property
    def township_id(self) -> int | None:
        return next(iter(self.township_ids)) if len(self.township_ids) == 1 else None

    @property
    def county_id(self) -> int | None:
        return next(iter(self.county_ids)) if len(self.county_ids) == 1 else None

    def q(self, model) -> Q | None:
        """The filter for ``model``; None means no restriction."""
        if self.level == ALL:
            return None
        if self.level == NONE:
            return Q(pk__in=[])
        paths = getattr(model, "scope_paths", None)
        if paths is None:
            raise TypeError(f"{model.__name__} declares no scope_paths")
        order = [CADRE, VILLAGE, TOWNSHIP, COUNTY]
        ids = {CADRE: {self.cadre_id} if self.cadre_id else set(), VILLAGE: self.village_ids,
               TOWNSHIP: self.township_ids, COUNTY: self.county_ids}
        for level in order[order.index(self.level):]:
            if level in paths:
                path = paths[level]
                return Q(**{f"{path}__in": sorted(ids[level])})
        return Q(pk__in=[])

    def filter(self, queryset: QuerySet) -> QuerySet:
        condition = self.q(queryset.model)
        if condition is None:
            return queryset
        qs = queryset.filter(condition)
        # Paths through to-many relations (a cadre's stations) can repeat rows.
        if any("__" in p and "stations" in p for p in queryset.model.scope_paths.values()):
            qs = qs.distinct()
        return qs

    def allows(self, obj) -> bool:
        condition = self.q(type(obj))
        if condition is None:
            return True
        return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def build_scope(user) -> Scope:
    from residency.models import Cadre, Official, Village

    role = role_of(user)
    if role is None:
        return Scope(role=None, level=NONE)
    if role in (Role.SYSTEM_ADMIN, Role.PROVINCE_VIEWER):
        return Scope(role=role, level=ALL)
    if role == Role.CADRE:
        cadre = Cadre.objects.filter(user=user).select_related("township").first()
        if cadre is None:
            return Scope(role=role, level=NONE)
        # ``user.cadre`` (and its township) is this row for the rest of the request.
        Cadre.user.field.set_cached_value(cadre, user)
        Cadre.user.field.remote_field.set_cached_value(user, cadre)
        villages = frozenset(cadre.stations.filter(in_force_on_q(timezone.localdate()))
                             .values_list("village_id", flat=True))
        return Scope(role=role, level=CADRE, cadre_id=cadre.pk, village_ids=villages,
                     township_ids=frozenset({cadre.township_id}),
                     county_ids=frozenset({cadre.township.county_id}))
    official = Official.objects.filter(user=user).select_related("township", "village__township").first()
    if official is None:
        return Scope(role=role, level=NONE)
    if role == Role.ORG_DEPARTMENT and official.county_id:
        return Scope(role=role, level=COUNTY, county_ids=frozenset({official.county_id}))
    if role == Role.TOWNSHIP_ADMIN and official.township_id:
        return Scope(role=role, level=TOWNSHIP, township_ids=frozenset({official.township_id}),
                     county_ids=frozenset({official.township.county_id}))
    if role == Role.VILLAGE_CADRE and official.village_id:
        return Scope(role=role, level=VILLAGE, village_ids=frozenset({official.village_id}),
                     township_ids=frozenset({official.village.township_id}),
                     county_ids=frozenset({official.village.township.county_id}))
    if role == Role.INSPECTOR:
        rows = list(Village.objects.filter(inspectors=official)
                    .values_list("pk", "township_id", "township__county_id"))
        return Scope(role=role, level=VILLAGE, village_ids=frozenset(r[0] for r in rows),
                     township_ids=frozenset(r[1] for r in rows),
                     county_ids=frozenset(r[2] for r in rows))
    return Scope(role=role, level=NONE)


def get_scope(request) -> Scope:
    """The request user's scope, computed once per request (and kept between requests by
    ``residency.access.scope_cache`` until something it depends on changes)."""
    scope = getattr(request, "_scope", None)
    if scope is None:
        scope = cached_scope(request.user, build_scope)
        request._scope = scope
    return scope


def scoped(request, queryset: QuerySet) -> QuerySet:
    return get_scope(request).filter(queryset)


def scoped_get_or_404(request, queryset: QuerySet, **lookup):
    try:
        return scoped(request, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
