"""A cadre on a phone sees the unread badge, opens the inbox, reads the reminder and marks
it read; the badge goes away."""
from __future__ import annotations

from datetime import date

import pytest

from notifications.kinds import Kind
from notifications.reminder import Reminder
from notifications.services import notifications_create
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_cadre_reads_a_reminder_from_the_inbox_on_a_phone(live_server, people, phone_page):
    page = phone_page
    notifications_create(reminders=[Reminder(
        recipient_id=people["cadre"].user_id, kind=Kind.STAY_TONIGHT, subject="stay:1",
        date=date(2026, 3, 2), text="今晚您在东村住夜。")])
    login(page, live_server, "cadre1")
    assert page.locator("[data-testid=home-notifications]").inner_text().count("1 条未读") == 1
    # On a phone the menu is collapsed: the unread count shows next to it all the same.
    compact = page.locator("[data-testid=unread-badge-compact]")
    assert compact.is_visible() and compact.inner_text().split() == ["消息", "1"]
    assert not page.locator("[data-testid=unread-badge]").is_visible()

    page.locator(".navbar-toggler").click()
    page.wait_for_selector("#mainnav.collapse.show")  # the opening animation has finished
    assert page.locator("[data-testid=unread-badge]").inner_text() == "1"
    with page.expect_navigation():
        page.click("[data-testid=inbox-link]")
    item = page.locator("[data-testid=notification]")
    assert item.count() == 1 and "今晚您在东村住夜。" in item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with page.expect_navigation():
        item.get_by_role("button", name="标为已读").click()
    assert page.locator("[data-testid=unread-badge]").count() == 0
    assert page.locator("[data-testid=unread-badge-compact]").count() == 0
    with page.expect_navigation():
        page.goto(f"{live_server.url}/notifications/?unread=1")
    assert page.locator("[data-testid=inbox-empty]").inner_text() == "没有未读消息。"
