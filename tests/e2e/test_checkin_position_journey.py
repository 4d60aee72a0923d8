"""Presence at check-in in a real browser (issue 10): the cadre, on a 390x844 phone whose
position is 3 km north of the village office, checks in; the browser asks for the
position (Geolocation API), the server measures the distance and flags the check-in; the
township admin sees the flag on the week grid and the figures on the stay, and corrects
the stay's presence with a reason.

Time-independent: the check-in window is the whole day for the live server."""
from __future__ import annotations

import pytest

from residency.models import Stay
from tests.e2e.conftest import PHONE, THREE_KM_NORTH, TIMEOUT_MS, login

pytestmark = pytest.mark.e2e

@pytest.fixture
def tonight(checkin_tonight):
    return checkin_tonight


@pytest.fixture
def far_phone(browser):
    """A phone whose Geolocation answers 3 km from the village office, permission granted."""
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True,
        geolocation={"latitude": THREE_KM_NORTH[0], "longitude": THREE_KM_NORTH[1], "accuracy": 15},
        permissions=["geolocation"])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def test_a_cadre_checks_in_3_km_from_the_office_and_the_township_admin_sees_the_flag(
        live_server, people, tonight, far_phone, phone_page):
    d = tonight
    phone = far_phone
    login(phone, live_server, "cadre1")
    assert phone.viewport_size == PHONE
    assert "东村" in phone.locator("[data-testid=tonight]").inner_text()
    with phone.expect_navigation():
        phone.click("[data-testid=checkin]")
    main = phone.locator("main").inner_text()
    assert "签到成功" in main and "远离村部" in main
    stay = Stay.objects.get(pk=d["stay"].pk)
    assert stay.checked_in_at is not None and stay.checkin_position_status == "ok"
    assert stay.checkin_far is True and 2950 <= stay.checkin_distance_m <= 3050
    assert stay.checkin_accuracy_m == 15
    # The cadre sees the flag on his own night too.
    assert phone.locator(f"[data-testid=far-{stay.pk}]").first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The township admin, on a phone as well, sees the flag on the week grid ...
    admin = phone_page
    login(admin, live_server, "tadmin")
    admin.goto(f"{live_server.url}/residency/roster/")
    flag = admin.locator(f"[data-testid=far-{stay.pk}]")
    assert "远离村部" in flag.inner_text()
    # ... and the figures on the stay, then corrects presence with a reason.
    with admin.expect_navigation():
        admin.click(f"[data-testid=stay-{stay.pk}]")
    facts = admin.locator("[data-testid=checkin-facts]").inner_text()
    assert "远离村部" in facts and "精度约 15 米" in facts
    admin.check("input[name=presence][value=absent]")
    admin.fill("#id_presence_reason", "定位显示在县城, 核实当晚未住村")
    with admin.expect_navigation():
        admin.click("[data-testid=correct]")
    assert "已更正在岗情况" in admin.locator("main").inner_text()
    assert "核实当晚未住村" in admin.locator("[data-testid=presence-correction]").inner_text()
    assert Stay.objects.get(pk=stay.pk).presence == "absent"
