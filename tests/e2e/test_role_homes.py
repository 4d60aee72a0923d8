"""Each role logs in through a real browser, at phone and desktop sizes, and lands on its
own home page in Chinese, with Chinese glyphs actually drawn; anonymous visitors are sent
to the login page; logging out ends the session."""
from __future__ import annotations

import pytest

from residency.access.roles import ROLE_LABELS, Role
from tests.e2e.conftest import PHONE, cjk_renders, login, logout

pytestmark = pytest.mark.e2e

USERNAMES = {Role.CADRE: "cadre1", Role.VILLAGE_CADRE: "vcadre", Role.TOWNSHIP_ADMIN: "tadmin",
             Role.INSPECTOR: "insp", Role.ORG_DEPARTMENT: "org", Role.PROVINCE_VIEWER: "prov",
             Role.SYSTEM_ADMIN: "sysadmin"}
HOME_TITLES = {Role.CADRE: "cadre1，您好", Role.VILLAGE_CADRE: "村干部工作台",
               Role.TOWNSHIP_ADMIN: "镇(街道)工作台", Role.INSPECTOR: "督查工作台",
               Role.ORG_DEPARTMENT: "组织部工作台", Role.PROVINCE_VIEWER: "全省(市)概览",
               Role.SYSTEM_ADMIN: "系统管理"}


@pytest.fixture(params=["phone", "desktop"])
def any_page(request, phone_page, desktop_page):
    return phone_page if request.param == "phone" else desktop_page


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_chinese_home_page(live_server, people, any_page, role):
    page = any_page
    login(page, live_server, USERNAMES[role])
    assert page.url == f"{live_server.url}/"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "住村·夜班·评议" in page.title()
    assert page.locator("[data-testid=role-label]").inner_text() == str(ROLE_LABELS[role])
    assert page.locator("[data-testid=home-title]").inner_text() == HOME_TITLES[role]
    assert cjk_renders(page, "[data-testid=home-title]")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # nothing sticks out sideways, even on a phone


def test_the_cadre_home_on_a_phone_shows_the_station(live_server, people, phone_page):
    login(phone_page, live_server, "cadre1")
    assert phone_page.viewport_size == PHONE
    assert phone_page.locator("[data-testid=station]").inner_text() == "甲镇 · 东村"


def test_an_anonymous_visitor_is_sent_to_the_login_page(live_server, page):
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/accounts/login/?next=/"
    assert page.locator("h1").inner_text() == "登录"
    assert page.get_by_label("用户名或手机号").is_visible()
    assert cjk_renders(page, "h1")


def test_a_wrong_password_shows_a_chinese_error(live_server, people, page):
    login(page, live_server, "cadre1", "wrong-password1")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert "用户名(手机号)或密码错误" in page.locator("main").inner_text()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_logging_out_ends_the_session(live_server, people, phone_page, desktop_page, size):
    page = phone_page if size == "phone" else desktop_page
    login(page, live_server, "cadre1")
    logout(page)
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/accounts/login/?next=/"
