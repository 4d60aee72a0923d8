"""Issue 10, the whole chain from a night to the ladder, each person on a 390x844 phone:

the cadre checks in 3 km from the village office (the phone's Geolocation API); the
township admin sees the far check-in flagged; the next sweep opens one incident for the
night; the organisation department confirms it with the evidence on screen; the cadre
receives the notice with the appeal deadline and appeals; the organisation department
decides the appeal; the ladder shows the standing incident once.

The check-in window is the whole day on the live server so the test does not depend on
the hour; the morning sweep is called as the beat would call it."""
from __future__ import annotations

import pytest

from appraisal.models import Appeal, Violation
from appraisal.services import violation_candidates_sync
from notifications.models import Notification
from residency.models import Stay
from tests.e2e.conftest import PHONE, THREE_KM_NORTH, TIMEOUT_MS, login

pytestmark = pytest.mark.e2e

@pytest.fixture
def tonight(checkin_tonight):
    return checkin_tonight


def _phone(browser, **extra):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True,
                                  **extra)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() before irreversible steps
    return context, page


def test_a_far_check_in_becomes_one_incident_decided_with_evidence_notified_appealed_and_counted(
        live_server, people, tonight, browser):
    stay = tonight["stay"]
    cadre_ctx, cadre = _phone(browser, geolocation={"latitude": THREE_KM_NORTH[0],
                                                    "longitude": THREE_KM_NORTH[1],
                                                    "accuracy": 20},
                              permissions=["geolocation"])
    org_ctx, org = _phone(browser)
    admin_ctx, admin = _phone(browser)
    try:
        # 1. The cadre checks in; the browser gives a position 3 km from the office.
        login(cadre, live_server, "cadre1")
        with cadre.expect_navigation():
            cadre.click("[data-testid=checkin]")
        assert "远离村部" in cadre.locator("main").inner_text()
        stay.refresh_from_db()
        assert stay.checkin_far and 2950 <= stay.checkin_distance_m <= 3050

        # 2. The township admin sees the flag on the week grid.
        login(admin, live_server, "tadmin")
        admin.goto(f"{live_server.url}/residency/roster/")
        assert "远离村部" in admin.locator(f"[data-testid=far-{stay.pk}]").inner_text()

        # 3. The morning sweep: the far check-in is the one signal of the night's incident.
        violation_candidates_sync(since=tonight["today"], until=tonight["today"])
        incident = Violation.objects.get(cadre=people["cadre"], occurred_on=tonight["today"])
        assert list(incident.signals.values_list("kind", flat=True)) == ["far_checkin"]

        # 4. The organisation department decides with the evidence on screen.
        login(org, live_server, "org")
        org.goto(f"{live_server.url}/appraisal/violations/{incident.pk}/")
        checkin_facts = org.locator("[data-testid=evidence-checkin]").inner_text()
        assert "距村部" in checkin_facts and "距村部过远" in checkin_facts
        assert "东村" in org.locator("[data-testid=evidence-stay]").inner_text()
        assert org.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        org.get_by_label("认定违规").check()
        org.get_by_label("认定意见").fill("签到位置距村部约 3 公里，当晚未在村部住夜")
        org.get_by_role("button", name="提交认定").click()
        assert org.locator("[data-testid=violation-status]").inner_text() == "已认定"

        # 5. The cadre is told, once, with the appeal deadline, and appeals from the link.
        notices = Notification.objects.filter(recipient=people["cadre"].user,
                                              kind="violation_confirmed")
        assert notices.count() == 1
        cadre.goto(f"{live_server.url}/notifications/")
        notice = cadre.locator("main").inner_text()
        assert "如有异议" in notice
        cadre.goto(f"{live_server.url}{notices.get().link}")
        cadre.get_by_label("申诉理由").fill("当晚在村部，手机定位漂移")
        cadre.get_by_role("button", name="提交申诉").click()
        assert Appeal.objects.get(violation=incident).outcome == "pending"

        # 6. The organisation department is told of the appeal and decides it.
        assert Notification.objects.filter(recipient=people["org_department"],
                                           kind="appeal_filed").count() == 1
        org.goto(f"{live_server.url}/appraisal/violations/{incident.pk}/")
        org.get_by_label("维持认定").check()
        org.get_by_label("处理意见").fill("经核实，定位与村部监控一致，维持认定")
        org.get_by_role("button", name="提交处理结果").click()
        assert Appeal.objects.get(violation=incident).outcome == "upheld"
        assert Notification.objects.filter(recipient=people["cadre"].user,
                                           kind="appeal_decided").count() == 1

        # 7. The ladder counts the standing incident once: this year not 优秀.
        org.goto(f"{live_server.url}/appraisal/cadres/{people['cadre'].pk}/{tonight['today'].year}/")
        assert "当年度考核不得评为优秀等次" in org.locator("[data-testid=ladder]").inner_text()
        assert Violation.objects.filter(cadre=people["cadre"]).count() == 1
        assert Stay.objects.get(pk=stay.pk).checkin_far
    finally:
        for context in (cadre_ctx, org_ctx, admin_ctx):
            context.close()
