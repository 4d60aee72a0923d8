"""A township admin on a phone (390x844) finds tonight's uncovered village in the per-night
view, reads why in its cell, and fixes it by moving a stay; the refused attempt first is a
message on the page. Time-independent: the county makes tonight the week's only workday."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from residency.models import Stay, WorkdayOverride
from residency.nights.isoweek import format_week
from tests.e2e.conftest import login
from tests.residency.factories import make_cadre
from tests.residency.roster.factories import make_leave, make_stay, make_week

pytestmark = pytest.mark.e2e


def test_township_admin_finds_an_uncovered_night_and_its_reason_and_fixes_it(
        live_server, people, directory, phone_page):
    page, d = phone_page, directory
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for i in range(7):
        day = monday + timedelta(days=i)
        WorkdayOverride.objects.create(county=d["county"], date=day, is_workday=day == today,
                                       reason="浏览器测试")
    week = make_week(d["t1"], monday)
    helper = make_cadre(d["v11"], username="helper", name="帮手")
    make_stay(week, people["cadre"], d["v11"], today)
    helper_stay = make_stay(week, helper, d["v11"], today)
    make_leave(people["cadre_other"], today, today)  # 西村's only cadre is on leave tonight

    login(page, live_server, "tadmin")
    page.goto(f"{live_server.url}/residency/roster/{d['t1'].pk}/{format_week(monday)}/")
    with page.expect_navigation():
        page.click("[data-testid=by-night]")
    assert "1 个村(社区)未覆盖" in page.locator("[data-testid=uncovered-count]").inner_text()
    first = page.locator("[data-testid=night-list] > li").first
    assert "西村" in first.inner_text() and "未覆盖: 全部请假" in first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone

    # Open the helper's stay at 东村 and first try a move that is refused (a cadre twice).
    with page.expect_navigation():
        page.click(f"[data-testid=stay-{helper_stay.pk}]")
    labels = page.locator("#div_id_night label").all_inner_texts()
    assert len(labels) == 1  # only the week's workday night is offered
    page.select_option("#id_cadre", label="cadre1")
    with page.expect_navigation():
        page.click("[data-testid=move]")
    assert "未能调整" in page.locator("main").inner_text()

    # Now move the helper himself to 西村: back on the night view, nothing is uncovered.
    page.select_option("#id_cadre", label="帮手")
    page.select_option("#id_village", label="西村")
    with page.expect_navigation():
        page.click("[data-testid=move]")
    assert "住夜已调整" in page.locator("main").inner_text()
    assert "每个村(社区)都有干部住夜" in page.locator("[data-testid=uncovered-count]").inner_text()
    assert Stay.objects.get(pk=helper_stay.pk).village == d["v12"]
