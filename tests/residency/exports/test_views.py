"""The export pages: start a job, its page and progress, the download (audited), 404 for
anyone else, the old report address, and query counts that do not grow."""
from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from residency.models import AuditLog, ExportJob
from tests.residency.factories import make_official

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def done_job(client, people, django_capture_on_commit_callbacks):
    client.force_login(people["org_department"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("residency:export-create", kwargs={"kind": "appraisal-xlsx"}),
                               {"year": YEAR})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("residency:export-detail",
                                                                    args=[job.pk])
    return job


def test_the_organisation_department_starts_the_appraisal_export_and_downloads_it(
        client, done_job, django_assert_max_num_queries):
    detail = reverse("residency:export-detail", args=[done_job.pk])
    # session, user, role, scope, the job (+ the session written on every request)
    with django_assert_max_num_queries(9):
        body = client.get(detail).content.decode()
    assert "已完成" in body and reverse("residency:export-download", args=[done_job.pk]) in body
    with django_assert_max_num_queries(10):
        response = client.get(reverse("residency:export-download", args=[done_job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="appraisal-2026.xlsx"')
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert sorted(r[1] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)) == [
        "cadre1", "cadre2"]
    assert AuditLog.objects.filter(action="export_download", object_id=str(done_job.pk)).count() == 1


def test_the_progress_answers_rows_done_and_total(client, people, django_assert_max_num_queries):
    org = people["org_department"]
    job = ExportJob.objects.create(kind="appraisal-xlsx", params={"year": YEAR}, requested_by=org,
                                   role="org_department", scope_key="county:0",
                                   status=ExportJob.Status.RUNNING, rows_done=250, rows_total=1000)
    client.force_login(org)
    with django_assert_max_num_queries(8):
        data = client.get(reverse("residency:export-progress", args=[job.pk])).json()
    assert data == {"status": "running", "rows_done": 250, "rows_total": 1000, "percent": 25,
                    "finished": False}
    page = client.get(reverse("residency:export-detail", args=[job.pk])).content.decode()
    assert "已完成 250 / 1000 行" in page and "js/export_job.js" in page
    assert not re.search(r"<script>(?!\s*</script>)", page) and "onclick" not in page


def test_a_colleague_with_the_same_role_and_county_may_download(client, directory, done_job):
    client.force_login(make_official("org_department", username="org2", county=directory["county"]))
    assert client.get(reverse("residency:export-download", args=[done_job.pk])).status_code == 200


@pytest.mark.parametrize("who", ["far_org", "township_admin", "province_viewer", "cadre"])
def test_anyone_else_gets_404_for_the_job_and_its_file(client, people, directory, done_job, who):
    user = (make_official("org_department", username="org3", county=directory["other_county"])
            if who == "far_org" else getattr(people[who], "user", people[who]))
    client.force_login(user)
    for name in ("residency:export-detail", "residency:export-progress", "residency:export-download"):
        assert client.get(reverse(name, args=[done_job.pk])).status_code == 404
    assert not AuditLog.objects.filter(action="export_download").exists()


def test_an_expired_link_answers_gone_and_says_so(client, done_job):
    from datetime import timedelta

    from django.utils import timezone

    ExportJob.objects.filter(pk=done_job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(reverse("residency:export-download", args=[done_job.pk]))
    assert response.status_code == 410 and "已过期" in response.content.decode()


def test_bad_parameters_are_refused_in_chinese_and_start_nothing(client, people):
    client.force_login(people["township_admin"])
    url = reverse("residency:export-create", kwargs={"kind": "visits-csv"})
    response = client.post(url, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    assert client.post(url, {"date_from": "x", "date_to": ""}).status_code == 400
    assert not ExportJob.objects.exists()
    assert client.get(reverse("residency:export-create", kwargs={"kind": "nope"})).status_code == 404


def test_visits_have_a_web_page_for_township_admins_and_the_organisation_department(client, people):
    url = reverse("residency:export-create", kwargs={"kind": "visits-csv"})
    for role in ("township_admin", "org_department"):
        client.force_login(people[role])
        assert client.get(url).status_code == 200
    client.force_login(people["cadre"].user)
    assert client.get(url).status_code == 403


def test_the_old_report_xlsx_address_leads_to_the_export_with_no_size_cap(client, people, directory):
    client.force_login(people["province_viewer"])
    response = client.get(reverse("appraisal:report-xlsx") + f"?year={YEAR}&county={directory['county'].pk}")
    assert response.status_code == 302
    assert response.url == (reverse("residency:export-create", kwargs={"kind": "appraisal-xlsx"})
                            + f"?year={YEAR}&county={directory['county'].pk}")


def test_a_province_viewer_exports_one_county_or_the_whole_province(
        client, people, directory, django_capture_on_commit_callbacks):
    client.force_login(people["province_viewer"])
    url = reverse("residency:export-create", kwargs={"kind": "appraisal-csv"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"year": YEAR, "county": directory["county"].pk})
        client.post(url, {"year": YEAR})
    county, province = ExportJob.objects.order_by("pk")
    assert (county.rows_done, province.rows_done) == (2, 3)


def test_the_job_list_shows_my_jobs(client, done_job, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        body = client.get(reverse("residency:export-list")).content.decode()
    assert reverse("residency:export-detail", args=[done_job.pk]) in body and "年度考核表" in body


def test_the_county_statistics_offer_the_background_export_and_one_township_the_direct_file(
        client, people):
    client.force_login(people["org_department"])
    county = client.get(reverse("appraisal:statistics") + "?township=all&period=2026-03").content.decode()
    assert 'data-testid="statistics-xlsx-job"' in county
    assert reverse("residency:export-create", kwargs={"kind": "statistics-xlsx"}) in county
    one = client.get(reverse("appraisal:statistics") + "?period=2026-03").content.decode()
    assert 'data-testid="statistics-xlsx"' in one and "statistics-xlsx-job" not in one


def test_a_failed_job_says_so_and_offers_no_file(client, people):
    org = people["org_department"]
    job = ExportJob.objects.create(kind="appraisal-xlsx", params={"year": YEAR}, requested_by=org,
                                   role="org_department", scope_key="county:0",
                                   status=ExportJob.Status.FAILED, error="disk full")
    client.force_login(org)
    page = client.get(reverse("residency:export-detail", args=[job.pk])).content.decode()
    assert "导出失败" in page and "export_job.js" not in page and "disk full" not in page
    assert client.get(reverse("residency:export-download", args=[job.pk])).status_code == 410
