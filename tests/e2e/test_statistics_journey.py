"""The organisation department, on a phone (390x844): opens the monthly statistics from the
menu, switches township, reads the table and its charts, and downloads the xlsx."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.appraisal.factories import make_stay
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_org_department_opens_statistics_switches_township_and_downloads(
        live_server, people, directory, phone_page, tmp_path):
    page = phone_page
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    south = directory["v21"]
    from tests.residency.factories import make_cadre

    cadre = make_cadre(south, username="south")
    yesterday = timezone.localdate() - timedelta(days=1)
    monday = yesterday - timedelta(days=yesterday.weekday())
    make_stay(cadre, south, monday, checked_in=True)
    login(page, live_server, "org")

    page.locator(".navbar-toggler").click()
    page.locator("[data-testid=nav-appraisal]").click()
    page.locator("[data-testid=nav-statistics]").click()
    table = page.locator("[data-testid=statistics-table]")
    assert "东村" in table.inner_text() and "西村" in table.inner_text()
    assert "合计" in page.locator("[data-testid=statistics-total]").inner_text()

    page.locator("[data-testid=township-select]").select_option(label="乙街道")
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    assert f"township={directory['t2'].pk}" in page.url
    assert "南社区" in table.inner_text() and "东村" not in table.inner_text()
    assert page.locator("#chart-coverage").bounding_box()["width"] > 0  # Chart.js drew it
    assert page.locator("[data-print]").is_visible()

    with page.expect_download() as download_info:
        page.locator("[data-testid=statistics-xlsx]").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("镇(街道)", "村(社区)", "应住夜数")
    assert rows[1][:2] == ("乙街道", "南社区") and rows[-1][0] == "合计"
    if monday.month == timezone.localdate().month and monday <= yesterday:
        assert rows[1][3] == 1  # the stay on Monday counts as a night stayed
    assert not errors, errors  # the charts' script ran without errors
