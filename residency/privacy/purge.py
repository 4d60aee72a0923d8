"""Delete rows together with every row of any app that depends on them, fast.

``purge(queryset)`` walks the reverse foreign keys of the model (found through the model
registry, so residency needs no knowledge of the apps built on it), depth first:

- rows that point here through PROTECT, RESTRICT or CASCADE are purged first;
- SET_NULL / SET_DEFAULT references are updated in one statement each (that is how the
  append-only audit log keeps its rows when their user goes: the PostgreSQL trigger
  allows exactly that update);
- then the rows themselves go in one DELETE.

Children are selected with subqueries, never with lists of ids, and no instance is loaded,
so a county with a year of records goes in seconds. Models with delete signals or
multi-table inheritance are left to Django's collector (``QuerySet.delete``).

Audit rows are kept at least ``AUDIT_LOG_MIN_RETENTION_DAYS`` (180) days, or
``AUDIT_LOG_RETENTION_DAYS`` if that is longer: a purge of the audit log takes only older
rows (the database triggers refuse the younger ones anyway).
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import QuerySet, signals
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import timezone

AUDIT_LOG_MIN_RETENTION_DAYS = 180

_DEPENDENT = (models.PROTECT, models.RESTRICT, models.CASCADE)


def _needs_collector(model) -> bool:
    return bool(model._meta.parents) or any(
        signal.has_listeners(model) for signal in (signals.pre_delete, signals.post_delete))


def purge(queryset: QuerySet, *, _stack: tuple = ()) -> int:
    """Delete ``queryset`` and everything that depends on it; returns the rows deleted
    (dependants included). Call inside a transaction."""
    model = queryset.model
    if model._meta.label == "residency.AuditLog":
        days = max(AUDIT_LOG_MIN_RETENTION_DAYS,
                   getattr(settings, "AUDIT_LOG_RETENTION_DAYS", AUDIT_LOG_MIN_RETENTION_DAYS))
        queryset = queryset.filter(at__lt=timezone.now() - timedelta(days=days))
    stack = (*_stack, model)
    deleted = 0
    for rel in get_candidate_relations_to_delete(model._meta):
        field = rel.field
        related = rel.related_model
        children = related._base_manager.filter(**{
            f"{field.attname}__in": queryset.values(field.target_field.attname)})
        on_delete = rel.on_delete
        if related in stack:  # a self-reference (or a cycle): detach if possible
            if field.null:
                children.update(**{field.attname: None})
            continue
        if on_delete in _DEPENDENT:
            if children.exists():
                deleted += purge(children, _stack=stack)
        elif on_delete is models.SET_NULL:
            children.update(**{field.attname: None})
        elif on_delete is models.SET_DEFAULT:
            children.update(**{field.attname: field.get_default()})
        # DO_NOTHING and SET(...) are left to the database / the collector below.
    if _needs_collector(model) or any(
            getattr(rel.on_delete, "deconstruct", None) is not None
            for rel in get_candidate_relations_to_delete(model._meta)):
        return deleted + queryset.delete()[0]
    return deleted + queryset._raw_delete(queryset.db)
