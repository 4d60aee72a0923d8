"""Browser tests: Playwright (sync API) driving Debian's Chromium against ``live_server``.

Fixtures: ``browser`` (one Chromium for the session), ``page`` and ``phone_page`` (390x844,
the cadre's phone), ``desktop_page`` (1280x800). Helpers: ``login``, ``logout``,
``cjk_renders``. Chromium is never downloaded (no ``playwright install``): the Debian
binary is used; without it the tests skip on a laptop and fail in CI.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# next to it. The tests touch the database only from fixtures, never concurrently.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from tests.conftest import need_service  # noqa: E402
from tests.residency.factories import PASSWORD  # noqa: E402

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    e2e_dir = Path(__file__).parent
    for item in items:
        if e2e_dir in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    need_service(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM}, apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in requirements.txt
        need_service(False, "Playwright for Python")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN",
                                  is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    return context, page


@pytest.fixture
def phone_page(browser):
    context, page = _page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def page(phone_page):
    """Phone first: cadres use the app at night on a phone."""
    return phone_page


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form and wait for the page after it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def logout(page) -> None:
    """Log out through the user menu (opening the collapsed navigation on a phone)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.click("[data-testid=user-menu]")
    button = page.get_by_role("button", name="退出登录")
    try:
        button.wait_for(state="visible", timeout=3000)
    except Exception:  # the menu was tapped while the navigation was still unfolding
        page.click("[data-testid=user-menu]")
    with page.expect_navigation():
        button.click()


_GLYPHS_JS = """
([selector, chars]) => {
  const el = document.querySelector(selector);
  const style = getComputedStyle(el);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext("2d");
  return chars.map((ch) => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = `32px ${style.fontFamily}`;
    ctx.fillStyle = "#000";
    ctx.textBaseline = "top";
    ctx.fillText(ch, 4, 4);
    const data = ctx.getImageData(0, 0, 48, 48).data;
    let ink = 0, sig = "";
    for (let i = 3; i < data.length; i += 4) { if (data[i] > 128) { ink++; sig += i; } }
    return {ink, sig: sig.length + ":" + sig.slice(0, 4000)};
  });
}
"""


def cjk_renders(page, selector: str = "body", chars: str = "住村夜评") -> bool:
    """True when Chinese characters in ``selector``'s font draw as distinct glyphs: with no
    CJK font every character would come out as the same empty box (tofu)."""
    glyphs = page.evaluate(_GLYPHS_JS, [selector, list(chars)])
    return all(g["ink"] > 20 for g in glyphs) and len({g["sig"] for g in glyphs}) == len(chars)


# A village office and a phone 3 km north of it (issue 10's far check-in).
OFFICE = (30.630000, 120.560000)
THREE_KM_NORTH = (OFFICE[0] + 3000 / 111_195.0, OFFICE[1])


@pytest.fixture
def checkin_tonight(people, directory, settings):
    """Tonight's published stay of cadre1 in 东村, whose office stands at OFFICE; the check-in
    window is the whole day so the browser tests do not depend on the hour."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from residency.models import RosterWeek, Village
    from tests.residency.roster.factories import make_stay, make_week

    settings.CHECKIN_WINDOW_START = "00:00"
    settings.CHECKIN_WINDOW_END = "24:00"
    Village.objects.filter(pk=directory["v11"].pk).update(
        latitude=Decimal(f"{OFFICE[0]:.6f}"), longitude=Decimal(f"{OFFICE[1]:.6f}"))
    today = timezone.localdate()
    week = make_week(directory["t1"], today - timedelta(days=today.weekday()), published=True)
    RosterWeek.objects.filter(pk=week.pk).update(published_by=people["township_admin"])
    stay = make_stay(week, people["cadre"], directory["v11"], today)
    return {"today": today, "stay": stay, **directory}
