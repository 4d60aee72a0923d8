"""The background exports' rows of the permission matrix (tests/test_permission_matrix.py).

Anyone logged in may have export jobs; a job is read by its requester (or the same role and
scope: tests/residency/exports/test_views.py). The matrix builder cannot know which role is
logged in, so it gives the job to the user who logged in last. Starting an export is for
the roles its kind names."""
from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone

from residency.access.roles import Role
from residency.access.scoping import build_scope
from residency.exports.scopes import scope_key, scope_to_json
from residency.models import ExportJob

ALL = set(Role)
REPORTS = {Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN}


def _my_job(c):
    user = get_user_model().objects.order_by(F("last_login").desc(nulls_last=True), "-pk").first()
    scope = build_scope(user)
    now = timezone.now()
    job = ExportJob.objects.create(
        kind="appraisal-csv", params={"year": 2026}, requested_by=user,
        role=scope.role.value if scope.role else "", scope=scope_to_json(scope),
        scope_key=scope_key(scope), status=ExportJob.Status.DONE, rows_done=1, rows_total=1,
        filename="appraisal-2026.csv", finished_at=now, expires_at=now + timedelta(hours=1))
    job.file = default_storage.save(f"exports/{job.pk}/appraisal-2026.csv", ContentFile(b"cadre\n"))
    job.save(update_fields=["file"])
    return {"pk": job.pk}


EXPORTS_MATRIX: dict[str, dict] = {
    "residency:export-list": {"roles": ALL},
    "residency:export-create": {"roles": REPORTS, "in": lambda c: {"kind": "appraisal-xlsx"}},
    "residency:export-detail": {"roles": ALL, "in": _my_job},
    "residency:export-progress": {"roles": ALL, "in": _my_job},
    "residency:export-download": {"roles": ALL, "in": _my_job},
}
