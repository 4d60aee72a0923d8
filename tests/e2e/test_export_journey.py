"""The organisation department, at a desk (1280x800): starts the annual appraisal export
from 考核统计与报表, waits on the job page while the worker writes it (the page polls its
progress with static/js/export_job.js), gets the notification and downloads the file."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from residency.exports import services
from residency.exports.running import export_job_run
from residency.models import AuditLog, ExportJob
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e
YEAR = 2026


def test_org_department_exports_the_appraisal_report_in_the_background(
        live_server, people, desktop_page, tmp_path, monkeypatch):
    page = desktop_page
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    queued: list[int] = []
    # The broker: the job waits in the queue until the test plays the worker.
    monkeypatch.setattr(services.export_job_run_task, "delay", queued.append)
    login(page, live_server, "org")

    page.goto(f"{live_server.url}/appraisal/reports/?year={YEAR}")
    with page.expect_navigation():
        page.locator("[data-testid=download-xlsx]").click()
    job = ExportJob.objects.get()
    assert queued == [job.pk] and page.url.endswith(f"/residency/exports/{job.pk}/")
    assert page.locator("[data-testid=export-status]").inner_text() == "排队中"
    assert page.locator(".progress").is_visible()

    export_job_run(job_id=job.pk)  # the worker
    download = page.locator("[data-testid=export-download]")
    download.wait_for()  # the poll saw the job finish and reloaded the page
    assert page.locator("[data-testid=export-status]").inner_text() == "已完成"

    page.goto(f"{live_server.url}/notifications/")
    note = page.locator("[data-testid=notification]").first
    assert "年度考核表(Excel)已生成(2 行)" in note.inner_text()
    with page.expect_navigation():
        note.get_by_role("button", name="查看").click()
    assert page.url.endswith(f"/residency/exports/{job.pk}/")

    with page.expect_download() as info:
        page.locator("[data-testid=export-download]").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert info.value.suggested_filename == "appraisal-2026.xlsx"
    first = load_workbook(path).worksheets[0]
    assert first["A1"].value == "姓名"
    assert sorted(r[1] for r in first.iter_rows(min_row=2, values_only=True)) == ["cadre1", "cadre2"]
    assert AuditLog.objects.filter(action="export_download", object_id=str(job.pk)).count() == 1
    assert not errors, errors
