"""Reads of export jobs: a job is readable by its requester and by whoever has the same
role and the same scope; anyone else gets 404."""
from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from residency.access.scoping import Scope
from residency.exports.models import ExportJob
from residency.exports.scopes import scope_key


def export_jobs_visible(*, user, scope: Scope) -> QuerySet[ExportJob]:
    shared = Q(role=scope.role.value, scope_key=scope_key(scope)) if scope.role else Q(pk__in=[])
    return ExportJob.objects.filter(Q(requested_by=user) | shared)


def export_job_for(*, user, scope: Scope, pk: int) -> ExportJob:
    job = export_jobs_visible(user=user, scope=scope).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
