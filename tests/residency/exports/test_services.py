"""Background exports: a job's life (start, run, file, notification), run twice without
harm, links that expire and are purged, downloads that are scoped and audited."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from notifications.kinds import Kind
from notifications.models import Notification
from residency.access.scoping import build_scope
from residency.exports import ExportKind, register_kind
from residency.exports.registry import _KINDS
from residency.exports.selectors import export_job_for
from residency.exports.services import (
    ExportUnavailable,
    export_job_download,
    export_job_run,
    export_job_start,
    export_jobs_purge_expired,
)
from residency.exports.writing import CSV_CONTENT_TYPE
from residency.models import AuditLog, ExportJob
from tests.residency.factories import make_official

pytestmark = pytest.mark.django_db
YEAR = 2026


def start(user, kind="appraisal-xlsx", params=None, *, capture):
    with capture(execute=True):
        job = export_job_start(kind=kind, params=params or {"year": YEAR}, by=user,
                               scope=build_scope(user))
    job.refresh_from_db()
    return job


def files_of(job) -> list[str]:
    return default_storage.listdir(f"exports/{job.pk}")[1]


def test_an_appraisal_export_runs_writes_the_file_and_tells_the_requester(
        people, django_capture_on_commit_callbacks):
    org = people["org_department"]
    job = start(org, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE
    assert (job.rows_done, job.rows_total) == (2, 2)  # county A's two cadres, not the far one
    assert job.filename == "appraisal-2026.xlsx" and files_of(job) == ["appraisal-2026.xlsx"]
    with default_storage.open(job.file, "rb") as handle:
        wb = load_workbook(io.BytesIO(handle.read()))
    first = wb.worksheets[0]
    assert first["A1"].value == "姓名" and first.freeze_panes == "A2"
    assert sorted(r[1] for r in first.iter_rows(min_row=2, values_only=True)) == ["cadre1", "cadre2"]
    assert job.expires_at == job.finished_at + timedelta(hours=24)
    note = Notification.objects.get(recipient=org, kind=Kind.EXPORT_FINISHED)
    assert note.link == f"/residency/exports/{job.pk}/" and "2 行" in note.text
    actions = set(AuditLog.objects.filter(object_type="residency.exportjob", object_id=str(job.pk)).values_list("action", flat=True))
    assert actions == {"export_start", "export_finish"}


def test_running_a_finished_job_again_changes_nothing(people, django_capture_on_commit_callbacks):
    job = start(people["org_department"], capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = export_job_run(job_id=job.pk)
    assert again.status == ExportJob.Status.DONE and again.finished_at == job.finished_at
    assert files_of(job) == ["appraisal-2026.xlsx"]
    assert Notification.objects.filter(kind=Kind.EXPORT_FINISHED).count() == 1


def test_a_job_whose_worker_died_is_written_again_to_the_same_file(
        people, django_capture_on_commit_callbacks):
    job = start(people["org_department"], capture=django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        again = export_job_run(job_id=job.pk)
    assert again.status == ExportJob.Status.DONE and again.file == job.file
    assert files_of(job) == ["appraisal-2026.xlsx"]  # overwritten, not a second copy


def test_a_job_running_now_on_another_worker_is_left_alone(people):
    user = people["org_department"]
    scope = build_scope(user)
    job = ExportJob.objects.create(kind="appraisal-xlsx", params={"year": YEAR}, requested_by=user,
                                   role=scope.role.value, scope_key="county:1",
                                   status=ExportJob.Status.RUNNING, started_at=timezone.now())
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING and not job.file


@pytest.fixture
def failing_kind():
    def boom(out, **kwargs):
        raise RuntimeError("disk full")

    register_kind(ExportKind(code="test-boom", label="测试", roles=tuple(_KINDS["appraisal-csv"].roles),
                             form_class=object, count=lambda **kw: 5, write=boom,
                             filename=lambda p: "boom.csv", content_type=CSV_CONTENT_TYPE))
    yield "test-boom"
    _KINDS.pop("test-boom")


def test_a_failed_export_is_marked_failed_and_the_requester_is_told(
        people, failing_kind, django_capture_on_commit_callbacks):
    job = start(people["org_department"], failing_kind, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.FAILED and job.error == "disk full" and not job.file
    assert "生成失败" in Notification.objects.get(kind=Kind.EXPORT_FINISHED).text
    with pytest.raises(ExportUnavailable):
        export_job_download(job=job, by=people["org_department"])


def test_a_role_outside_the_kind_may_not_start_it(people):
    admin = people["township_admin"]
    with pytest.raises(PermissionDenied):
        export_job_start(kind="appraisal-xlsx", params={"year": YEAR}, by=admin,
                         scope=build_scope(admin))
    assert not ExportJob.objects.exists()


def test_a_download_is_audited_every_time(people, django_capture_on_commit_callbacks):
    org = people["org_department"]
    job = start(org, capture=django_capture_on_commit_callbacks)
    for _ in range(2):
        export_job_download(job=job, by=org).close()
    rows = AuditLog.objects.filter(action="export_download", object_id=str(job.pk))
    assert rows.count() == 2 and {r.user_id for r in rows} == {org.pk}


@override_settings(EXPORT_LINK_TTL_HOURS=1)
def test_links_expire_after_the_ttl_and_the_purge_deletes_the_file(
        people, django_capture_on_commit_callbacks):
    org = people["org_department"]
    job = start(org, capture=django_capture_on_commit_callbacks)
    assert job.expires_at == job.finished_at + timedelta(hours=1)
    assert export_jobs_purge_expired(now=job.expires_at - timedelta(seconds=1)) == 0
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    job.refresh_from_db()
    with pytest.raises(ExportUnavailable):
        export_job_download(job=job, by=org)
    assert export_jobs_purge_expired() == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not job.file
    assert not default_storage.exists(f"exports/{job.pk}/appraisal-2026.xlsx")
    assert not AuditLog.objects.filter(action="export_download").exists()


def test_a_link_is_for_the_requester_and_the_same_role_and_scope_only(
        people, directory, django_capture_on_commit_callbacks):
    org = people["org_department"]
    job = start(org, capture=django_capture_on_commit_callbacks)
    colleague = make_official("org_department", username="org2", county=directory["county"])
    far = make_official("org_department", username="org3", county=directory["other_county"])
    assert export_job_for(user=org, scope=build_scope(org), pk=job.pk) == job
    assert export_job_for(user=colleague, scope=build_scope(colleague), pk=job.pk) == job
    for other in (far, people["township_admin"], people["province_viewer"], people["cadre"].user):
        with pytest.raises(Http404):
            export_job_for(user=other, scope=build_scope(other), pk=job.pk)


def test_visits_are_exported_for_the_township_admins_township_only(
        people, households, django_capture_on_commit_callbacks):
    from datetime import datetime, time

    from tests.nightlog.factories import make_visit

    day = timezone.localdate() - timedelta(days=1)
    at = timezone.make_aware(datetime.combine(day, time(20, 0)))
    make_visit(people["cadre"], households["h11"], visited_at=at)
    make_visit(people["cadre_far"], households["h31"], visited_at=at)
    job = start(people["township_admin"], "visits-csv",
                {"date_from": day.isoformat(), "date_to": day.isoformat()},
                capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE and job.rows_total == 1
    with default_storage.open(job.file, "rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert rows[0][:3] == ["date", "township", "village"] and len(rows) == 2
    assert rows[1][1:3] == ["甲镇", "东村"]


def test_the_roster_of_a_week_is_exported_at_the_county_scope(
        people, directory, django_capture_on_commit_callbacks):
    from datetime import date

    from tests.appraisal.factories import make_stay

    make_stay(people["cadre"], directory["v11"], date(2026, 3, 2))
    make_stay(people["cadre_far"], directory["v31"], date(2026, 3, 3))
    job = start(people["org_department"], "roster-csv", {"week": "2026-W10"},
                capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE and (job.rows_done, job.rows_total) == (1, 1)
    with default_storage.open(job.file, "rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert rows[1][:4] == ["2026-03-02", "甲镇", "东村", "cadre1"]  # not the other county's stay


def test_the_county_statistics_are_exported_as_an_xlsx_for_people(
        people, django_capture_on_commit_callbacks):
    job = start(people["org_department"], "statistics-xlsx", {"period": "2026-03", "township": None},
                capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE and job.rows_done == 3  # county A's three villages
    with default_storage.open(job.file, "rb") as handle:
        first = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    assert first["A1"].value == "镇(街道)" and first.freeze_panes == "A2"
    assert [r[1] for r in first.iter_rows(min_row=2, values_only=True)][:3] == ["东村", "西村", "南社区"]


def test_the_purge_command_deletes_expired_files(people, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    job = start(people["org_department"], capture=django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    call_command("purge_exports", stdout=out)
    assert "已删除 1 个" in out.getvalue() and not default_storage.exists(job.file)


def test_the_scope_key_fits_its_column_for_an_inspector_of_many_villages():
    from residency.access.roles import Role
    from residency.access.scoping import VILLAGE, Scope
    from residency.exports.scopes import scope_key

    many = Scope(role=Role.INSPECTOR, level=VILLAGE, village_ids=frozenset(range(100000, 100100)))
    few = Scope(role=Role.INSPECTOR, level=VILLAGE, village_ids=frozenset({7, 9}))
    assert scope_key(few) == "village:7,9"
    assert len(scope_key(many)) <= 200 and scope_key(many) == scope_key(many)
    assert scope_key(many) != scope_key(few)
