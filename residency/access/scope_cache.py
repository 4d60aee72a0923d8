"""The request user's role and scope, kept in the cache between requests.

Building a scope reads the user's groups, the cadre or official row and the stations in
force (three queries, about 3 ms a page: the largest share of what every page pays before
its own work; docs/PERFORMANCE.md). ``cached_scope`` reads it back in one cache round trip
and rebuilds it when anything it was made of may have changed:

- per user: a save of the user, his cadre or official row, one of his stations, his groups
  or inspected villages deletes his entry (receivers below);
- for everyone: a save of a township or village, a group's members cleared, and the
  directory import (which writes cadres and stations in bulk, without signals) change a
  global version, which every entry is checked against;
- the date is part of the entry (a station starts or ends at midnight), and every entry
  expires after ``SCOPE_CACHE_SECONDS`` (default 300) whatever happens.

With the cache unreachable every request builds its scope, as before the cache existed
(``residency.soft_cache``).
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from residency import soft_cache as cache
from residency.models import Cadre, Official, Station, Township, Village

GLOBAL_KEY = "access:version"


def _key(user_id: int) -> str:
    return f"access:scope:{user_id}"


def _seconds() -> int:
    """``SCOPE_CACHE_SECONDS`` (0: no cache, every request builds its scope)."""
    return int(getattr(settings, "SCOPE_CACHE_SECONDS", 300))


def cached_scope(user, build):
    """``build(user)`` (``scoping.build_scope``), from the cache when nothing it depends on
    has changed. Leaves the role (and a cadre's row with its township) cached on ``user``
    as ``build_scope`` does."""
    if not getattr(user, "is_authenticated", False) or _seconds() <= 0:
        return build(user)
    today = timezone.localdate()
    found = cache.get_many([GLOBAL_KEY, _key(user.pk)])
    version = cache.version(GLOBAL_KEY, found.get(GLOBAL_KEY))  # None: cache down
    entry = found.get(_key(user.pk))
    if entry is not None and version is not None and entry[0] == version and entry[1] == today:
        _v, _d, scope, cadre = entry
        user._role_cache = scope.role
        if cadre is not None:
            Cadre.user.field.set_cached_value(cadre, user)
            Cadre.user.field.remote_field.set_cached_value(user, cadre)
        return scope
    scope = build(user)
    cadre = _detached_cadre(user) if scope.cadre_id is not None else None
    if version is not None:
        cache.set(_key(user.pk), (version, today, scope, cadre), timeout=_seconds())
    return scope


def _detached_cadre(user) -> Cadre | None:
    """A copy of the cadre row ``build_scope`` left on ``user``, with its township and
    without the user (which is not worth keeping in the cache)."""
    related = Cadre.user.field.remote_field
    if not related.is_cached(user) or related.get_cached_value(user) is None:
        return None
    row = related.get_cached_value(user)
    cadre = Cadre(**{f.attname: getattr(row, f.attname) for f in Cadre._meta.concrete_fields})
    cadre._state.adding, cadre._state.db = False, row._state.db
    Cadre.township.field.set_cached_value(cadre, row.township)
    return cadre


def forget(user_ids) -> None:
    """These users' scopes are rebuilt on their next request (at once and on commit)."""
    cache.forget([_key(pk) for pk in user_ids if pk])


def forget_all() -> None:
    """Every scope is rebuilt on its next request (at once and on commit)."""
    cache.new_version(GLOBAL_KEY)


# --- Receivers -------------------------------------------------------------------------

User = get_user_model()


def _user_changed(sender, instance, **kwargs):
    forget([instance.pk])


def _cadre_or_official_changed(sender, instance, **kwargs):
    forget([instance.user_id])


def _station_changed(sender, instance, **kwargs):
    if Station.cadre.is_cached(instance):  # created or saved with its cadre in hand
        forget([instance.cadre.user_id])
    else:
        forget(Cadre.objects.filter(pk=instance.cadre_id).values_list("user_id", flat=True))


def _place_changed(sender, **kwargs):
    forget_all()


def _groups_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        forget([instance.pk])
    elif pk_set:
        forget(pk_set)
    else:  # group.user_set.clear(): whoever was in it
        forget_all()


def _inspected_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:  # official.inspected_villages changed
        forget([instance.user_id])
    else:
        forget_all()


for _model, _receiver in ((User, _user_changed), (Cadre, _cadre_or_official_changed),
                          (Official, _cadre_or_official_changed), (Station, _station_changed),
                          (Township, _place_changed), (Village, _place_changed)):
    for _signal in (post_save, post_delete):
        _signal.connect(_receiver, sender=_model,
                        dispatch_uid=f"access.scope_cache.{_signal is post_save}.{_model.__name__}")
m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="access.scope_cache.groups")
m2m_changed.connect(_inspected_changed, sender=Official.inspected_villages.through,
                    dispatch_uid="access.scope_cache.inspected")
