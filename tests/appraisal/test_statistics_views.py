"""The statistics page and its xlsx: who sees which township, downloads, bad input, cost."""
from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from residency.models import AuditLog
from tests.appraisal.factories import make_stay
from tests.nightlog.factories import make_visit
from tests.residency.factories import make_cadre, make_household

pytestmark = pytest.mark.django_db
URL = reverse("appraisal:statistics")
XLSX_URL = reverse("appraisal:statistics-xlsx")


def test_a_township_admin_reads_only_the_own_township(client, people, directory):
    client.force_login(people["township_admin"])
    page = client.get(URL, {"township": directory["t2"].pk, "period": "2026-03"})
    assert page.status_code == 200
    assert page.context["township"] == directory["t1"]
    assert [r.village for r in page.context["stats"].rows] == ["东村", "西村"]
    assert b'data-testid="township-select"' not in page.content  # nothing to switch to


def test_the_organisation_department_switches_between_the_county_townships(client, people,
                                                                           directory):
    client.force_login(people["org_department"])
    first = client.get(URL, {"period": "2026"})
    assert first.context["township"] == directory["t1"]
    assert [t.name for t in first.context["townships"]] == ["甲镇", "乙街道"]  # not 外镇
    other = client.get(URL, {"period": "2026", "township": directory["t2"].pk})
    assert [r.village for r in other.context["stats"].rows] == ["南社区"]
    far = client.get(URL, {"township": directory["t3"].pk})  # another county: not offered
    assert far.context["township"] == directory["t1"]


def test_a_province_viewer_picks_a_county_then_a_township(client, people, directory):
    client.force_login(people["province_viewer"])
    page = client.get(URL, {"county": directory["other_county"].pk})
    assert page.context["township"] == directory["t3"]


def test_a_bad_period_shows_this_month_with_a_warning_never_an_error(client, people):
    client.force_login(people["township_admin"])
    for bad in ("2026-13", "x" * 500, "２０２６"):
        response = client.get(URL, {"period": bad, "township": "abc"})
        assert response.status_code == 200
        assert "已显示本月" in response.content.decode()


def test_the_page_has_the_table_the_charts_data_and_the_download_and_print_buttons(
        client, people, directory):
    client.force_login(people["township_admin"])
    content = client.get(URL, {"period": "2026-03"}).content.decode()
    assert 'id="statistics-data"' in content and "js/statistics.js" in content
    assert 'data-testid="statistics-xlsx"' in content and "data-print" in content
    assert "<script>" not in content  # no inline script (CSP)


def test_the_xlsx_download_is_the_township_table_and_is_audited(client, people, directory):
    make_stay(people["cadre"], directory["v11"], date(2026, 3, 2), checked_in=True)
    client.force_login(people["org_department"])
    response = client.get(XLSX_URL, {"period": "2026-03", "township": directory["t1"].pk})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert ws.title == "村(社区)统计" and rows[1][:4] == ("甲镇", "东村", 22, 1)
    assert rows[-1][0] == "合计" and len(rows) == 4
    assert AuditLog.objects.filter(action="export_statistics_xlsx").exists()


def test_the_page_costs_the_same_number_of_queries_whatever_the_data(
        client, people, directory, django_assert_max_num_queries):
    client.force_login(people["org_department"])
    with django_assert_max_num_queries(30) as few:
        client.get(URL, {"period": "2026-03"})
    for i in range(4):
        village = directory["t1"].villages.create(code=f"8{i}", name=f"加村{i}")
        cadre = make_cadre(village, username=f"add{i}")
        household = make_household(village, head=f"户{i}", categories=["hardship"])
        for day in (2, 3):
            make_stay(cadre, village, date(2026, 3, day), checked_in=True)
        make_visit(cadre, household)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"period": "2026-03"})
    assert len(response.context["stats"].rows) == 6


def test_the_county_view_sums_each_township_and_its_xlsx_lists_every_village(client, people,
                                                                           directory):
    make_stay(people["cadre"], directory["v11"], date(2026, 3, 2), checked_in=True)
    client.force_login(people["org_department"])
    page = client.get(URL, {"period": "2026-03", "township": "all"})
    assert page.context["whole_county"] and page.context["township"] is None
    sums = {figures.township: (n, figures.nights_stayed)
            for n, figures in page.context["township_rows"]}
    assert sums == {"甲镇": (2, 1), "乙街道": (1, 0)}  # 外镇 is another county
    response = client.get(XLSX_URL, {"period": "2026-03", "township": "all"})
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:-1]] == ["东村", "西村", "南社区"] and rows[-1][0] == "合计"


def test_a_township_admin_cannot_ask_for_the_whole_county(client, people, directory):
    client.force_login(people["township_admin"])
    page = client.get(URL, {"township": "all"})
    assert page.context["township"] == directory["t1"] and not page.context["whole_county"]
