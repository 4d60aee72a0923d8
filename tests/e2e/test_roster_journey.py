"""The roster journey in a real browser: a township admin plans, edits (moves a stay to
another village: it becomes a borrowed stay) and publishes the current week at desktop
size; the cadre, on a 390x844 phone, sees tonight's stay on the home page and checks in
with the one big button.

Time-independent: the county overrides make tonight the week's only workday night, and
the check-in window is set to the whole day for the live server."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from residency.models import RosterWeek, Stay, WorkdayOverride
from tests.e2e.conftest import PHONE, login, logout
from tests.residency.factories import make_cadre

pytestmark = pytest.mark.e2e


@pytest.fixture
def tonight_only(people, directory, settings):
    settings.CHECKIN_WINDOW_START = "00:00"
    settings.CHECKIN_WINDOW_END = "24:00"
    d = directory
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for i in range(7):
        day = monday + timedelta(days=i)
        WorkdayOverride.objects.create(county=d["county"], date=day, is_workday=day == today,
                                       reason="浏览器测试")
    helper = make_cadre(d["v11"], username="helper", name="帮手")
    make_cadre(d["v12"], username="west2", name="西村二")
    return {"today": today, "monday": monday, "helper": helper, **d}


def test_admin_plans_moves_and_publishes_then_the_cadre_checks_in_on_a_phone(
        live_server, people, tonight_only, desktop_page, phone_page):
    d = tonight_only
    page = desktop_page
    page.on("dialog", lambda dialog: dialog.accept())

    # The township admin opens this week's roster and plans it.
    login(page, live_server, "tadmin")
    page.goto(f"{live_server.url}/residency/roster/")
    assert page.locator("[data-testid=week-status]").inner_text() == "尚未排班"
    with page.expect_navigation():
        page.click("[data-testid=plan]")
    assert "排班完成" in page.locator("main").inner_text()
    assert page.locator("[data-testid=week-status]").inner_text() == "草稿"
    today_cell = f"[data-testid=cell-{d['v11'].pk}-{d['today']:%Y-%m-%d}]"
    assert "cadre1" in page.locator(today_cell).inner_text()
    assert "帮手" in page.locator(today_cell).inner_text()

    # Edit: move the helper's stay tonight to 西村 (another village of the township).
    helper_stay = Stay.objects.get(cadre=d["helper"], night=d["today"])
    with page.expect_navigation():
        page.click(f"[data-testid=stay-{helper_stay.pk}]")
    page.select_option("#id_village", str(d["v12"].pk))
    with page.expect_navigation():
        page.click("[data-testid=move]")
    assert "住夜已调整" in page.locator("main").inner_text()
    west_cell = page.locator(f"[data-testid=cell-{d['v12'].pk}-{d['today']:%Y-%m-%d}]").inner_text()
    assert "帮手" in west_cell and "借调" in west_cell

    # Publish (the confirmation dialog is accepted).
    with page.expect_navigation():
        page.click("[data-testid=publish]")
    assert page.locator("[data-testid=week-status]").inner_text() == "已发布"
    assert RosterWeek.objects.get(township=d["t1"], week_start=d["monday"]).status == "published"
    logout(page)

    # The cadre, on a phone, sees tonight's stay and checks in with one tap.
    phone = phone_page
    login(phone, live_server, "cadre1")
    assert phone.viewport_size == PHONE
    tonight = phone.locator("[data-testid=tonight]")
    assert "东村" in tonight.inner_text()
    button = phone.locator("[data-testid=checkin]")
    box = button.bounding_box()
    assert box["width"] > 300 and box["height"] >= 48  # one big button
    with phone.expect_navigation():
        button.click()
    assert "签到成功" in phone.locator("main").inner_text()
    assert phone.locator("[data-testid=checked-in]").is_visible()
    assert Stay.objects.get(cadre=people["cadre"], night=d["today"]).checked_in_at is not None
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
