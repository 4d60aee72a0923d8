"""The organisation department, in a real browser: confirms a candidate violation, sets the
year's grades (and is refused 优秀 for the cadre with the violation), then downloads the
annual report and the file opens with the rows it expects."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from appraisal.models import Appraisal, Violation
from tests.appraisal.factories import make_violation
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e
YEAR = 2026


def test_org_department_confirms_grades_and_downloads_the_report(live_server, people, desktop_page,
                                                                 tmp_path):
    page = desktop_page
    page.on("dialog", lambda dialog: dialog.accept())
    cadre, other = people["cadre"], people["cadre_other"]
    violation = make_violation(cadre, date(YEAR, 3, 4), status="candidate", reason="暗访时不在村部")
    login(page, live_server, "org")

    # 1. Confirm the candidate violation from the register.
    page.goto(f"{live_server.url}/appraisal/violations/?year={YEAR}&status=candidate")
    page.get_by_role("link", name="2026-03-04").click()
    page.get_by_label("认定违规").check()
    page.get_by_label("认定意见").fill("督查暗访记录属实")
    page.get_by_role("button", name="提交认定").click()
    assert page.locator("[data-testid=violation-status]").inner_text() == "已认定"
    assert Violation.objects.get(pk=violation.pk).status == "confirmed"

    # 2. Grades: 优秀 is refused for the cadre with the violation; 称职 is accepted.
    page.goto(f"{live_server.url}/appraisal/cadres/{cadre.pk}/{YEAR}/")
    assert page.locator("[data-testid=ladder]").inner_text().strip().startswith(
        "当年度考核不得评为优秀等次")
    page.get_by_label("确定等次").select_option("excellent")
    page.get_by_role("button", name="确定", exact=True).click()
    assert "不得评为优秀" in page.locator("main").inner_text()
    page.get_by_label("确定等次").select_option("competent")
    page.get_by_role("button", name="确定", exact=True).click()
    assert page.locator("[data-testid=final-grade]").inner_text() == "称职"

    page.goto(f"{live_server.url}/appraisal/cadres/{other.pk}/{YEAR}/")
    page.get_by_label("确定等次").select_option("excellent")
    page.get_by_role("button", name="确定", exact=True).click()
    assert page.locator("[data-testid=final-grade]").inner_text() == "优秀"
    assert dict(Appraisal.objects.values_list("cadre__user__username", "final_grade")) == {
        "cadre1": "competent", "cadre2": "excellent"}

    # 3. Download the annual report: a background export (in-process without a broker),
    #    downloaded from its job page.
    page.goto(f"{live_server.url}/appraisal/reports/?year={YEAR}")
    with page.expect_navigation():
        page.locator("[data-testid=download-xlsx]").click()
    with page.expect_download() as download_info:
        page.locator("[data-testid=export-download]").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    wb = load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    by_user = {r[header.index("账号")]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    assert by_user["cadre1"]["违规次数"] == 1
    assert by_user["cadre1"]["处理"] == "不得评优"
    assert by_user["cadre1"]["最终等次"] == "称职"
    assert by_user["cadre2"]["最终等次"] == "优秀"
    assert "cadre3" not in by_user  # another county


def test_a_representative_votes_on_a_phone_without_logging_in(live_server, people, directory,
                                                              phone_page):
    from appraisal import services
    from appraisal.models import Ballot
    from tests.appraisal.factories import make_meeting

    page = phone_page
    meeting = make_meeting(directory["v11"])
    code = services.ballot_codes_generate(meeting=meeting, kind="resident", count=1,
                                          by=people["township_admin"])[0]
    page.goto(f"{live_server.url}/appraisal/vote/")
    page.get_by_label("投票码").fill(code.lower())
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    assert "投票成功" in page.locator("[data-testid=ballot-done]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Ballot.objects.filter(meeting=meeting).count() == 1
    page.goto(f"{live_server.url}/appraisal/vote/")
    page.get_by_label("投票码").fill(code)
    page.get_by_role("button", name="下一步").click()
    assert "已经使用过" in page.locator("main").inner_text()


def test_org_department_confirms_the_triple_night_as_one_incident_with_the_evidence_on_a_phone(
        live_server, people, directory, phone_page):
    """Issue 10: a cadre's only stay of the week, not checked in, and a spot check that found him
    absent: one incident, its evidence on screen, confirmed once, counted once."""
    from residency.models import RosterWeek
    from tests.appraisal.factories import make_spot_check, make_stay

    page = phone_page
    page.on("dialog", lambda dialog: dialog.accept())
    night = date(YEAR, 3, 4)
    cadre = people["cadre"]
    stay = make_stay(cadre, directory["v11"], night)
    RosterWeek.objects.filter(pk=stay.week_id).update(published_by=people["township_admin"])
    check = make_spot_check(cadre, directory["v11"], night, people["inspector"])
    check.note = "村部大门紧锁"
    check.save()
    login(page, live_server, "org")

    page.goto(f"{live_server.url}/appraisal/violations/?year={YEAR}")
    page.get_by_role("button", name="立即查找违规线索").click()
    page.goto(f"{live_server.url}/appraisal/violations/?year={YEAR}&status=candidate")
    rows = page.locator("[data-testid=violation-table] tbody tr")
    assert rows.count() == 1  # one incident, not three candidates
    assert "住夜未签到" in rows.first.inner_text() and "暗访不在岗" in rows.first.inner_text()
    page.get_by_role("link", name="2026-03-04").click()

    evidence = page.locator("[data-testid=evidence]")
    evidence.scroll_into_view_if_needed()
    assert evidence.is_visible()
    assert "东村" in page.locator("[data-testid=evidence-stay]").inner_text()
    assert "未签到" in page.locator("[data-testid=evidence-checkin]").inner_text()
    spot = page.locator("[data-testid=evidence-spot-checks]").inner_text()
    assert "22:30" in spot and "村部大门紧锁" in spot and people["inspector"].official.name in spot
    # Fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_label("认定违规").check()
    page.get_by_label("认定意见").fill("未签到,督查暗访不在岗,属实")
    page.get_by_role("button", name="提交认定").click()
    assert page.locator("[data-testid=violation-status]").inner_text() == "已认定"
    assert "已认定且有效的违规:1 次" in page.locator("main").inner_text()
    assert Violation.objects.get().status == "confirmed"
