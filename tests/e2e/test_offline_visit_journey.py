"""A cadre on a weak signal (390x844, the service worker allowed): a visit saved offline
waits in the phone's outbox with "已保存在手机上，联网后自动提交", survives Back and a reopen
of 记一户 from the service worker's cache, and reaches the server once when the network
returns; a reply lost after the server saved gives one visit; logging out with a visit
still on the phone warns first, then clears the outbox, the drafts and the kept pages."""
from __future__ import annotations

import time

import pytest

from nightlog.models import Visit
from tests.e2e.conftest import PHONE, TIMEOUT_MS, login
from tests.e2e.netcut import NetCut
from tests.nightlog.factories import link

pytestmark = pytest.mark.e2e

FORM = "/nightlog/visits/new/"


@pytest.fixture
def sw_page(browser):
    """A phone with service workers allowed (Playwright's default, said out loud)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                  has_touch=True, service_workers="allow")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def net(live_server):
    """The live server behind a relay that can lose the signal (see netcut.py)."""
    relay = NetCut(live_server.url)
    yield relay
    relay.close()


@pytest.fixture
def homes(people, households):
    link(people["cadre"], households["h11"])
    return households


def offline(page, net):
    net.cut()
    page.context.set_offline(True)


def online(page, net):
    net.restore()
    page.context.set_offline(False)


def wait_until(page, check, timeout=10.0):
    """Poll ``check`` while letting Playwright handle the page's events (dialogs)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        page.wait_for_timeout(200)
    return check()


def wait_for_kept_pages(page, base):
    """The service worker controls the page and keeps 记一户 in its cache."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=TIMEOUT_MS)
    page.evaluate("""async () => {
        const reg = await navigator.serviceWorker.ready;
        reg.active.postMessage({type: 'warm', urls: JSON.parse(
            document.getElementById('pwa-config').textContent).warm, force: true});
    }""")
    page.wait_for_function(
        f"caches.open('zhucun-pages').then(c => c.match('{base}{FORM}')).then(Boolean)",
        timeout=TIMEOUT_MS)


def outbox_count(page) -> int:
    return page.evaluate("NightOutbox.all().then(rows => rows.length)")


def fill_visit(page, household, text):
    page.fill("#household-search", household.head)
    page.fill("#id_situation", text)


def open_app(page, net):
    login(page, net, "cadre1")
    page.goto(f"{net.url}{FORM}")
    wait_for_kept_pages(page, net.url)
    page.goto(f"{net.url}{FORM}")  # now under the service worker


def test_a_visit_saved_offline_survives_back_and_reopen_and_reaches_the_server_once(
        net, people, homes, sw_page):
    page = sw_page
    open_app(page, net)
    offline(page, net)
    fill_visit(page, homes["h11"], "离线时写下：屋顶漏雨，需要修缮")
    page.click("[data-testid=visit-save]")
    status = page.locator("[data-testid=outbox-status]")
    status.wait_for(state="visible")
    assert "已保存在手机上，联网后自动提交" in status.inner_text()
    assert "待提交：1 条" in status.inner_text()
    assert page.locator("[data-testid=outbox-badge]").inner_text() == "待提交 1"
    assert page.input_value("#id_situation") == ""  # a fresh form for the next household
    assert not Visit.objects.exists()

    # Back, then reopen 记一户 while still offline: the kept page, the outbox still there.
    page.go_back()
    page.goto(f"{net.url}{FORM}")
    page.locator("[data-testid=outbox-count]").wait_for(state="visible")
    assert "待提交：1 条" in page.locator("[data-testid=outbox-status]").inner_text()
    assert page.locator("#id_household option").count() >= 1  # the linked households
    assert outbox_count(page) == 1 and not Visit.objects.exists()

    online(page, net)
    assert wait_until(page, lambda: Visit.objects.count() == 1)
    page.wait_for_function("NightOutbox.all().then(r => r.length === 0)", timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)
    visit = Visit.objects.get()
    assert visit.situation == "离线时写下：屋顶漏雨，需要修缮"
    assert visit.household == homes["h11"] and Visit.objects.count() == 1
    page.locator("[data-testid=outbox-badge]").wait_for(state="hidden")


def test_a_reply_lost_after_the_server_saved_gives_one_visit(net, people, homes, sw_page,
                                                             monkeypatch):
    from nightlog.views.visits import VisitCreateView

    page = sw_page
    open_app(page, net)
    saved = VisitCreateView.saved

    def save_then_lose_the_signal(self, visit):
        response = saved(self, visit)
        net.cut()  # the server has saved it; the phone never hears back
        return response

    monkeypatch.setattr(VisitCreateView, "saved", save_then_lose_the_signal)
    fill_visit(page, homes["h11"], "回复丢失的那一次")
    page.click("[data-testid=visit-save]")
    page.locator("[data-testid=outbox-status]").wait_for(state="visible")
    assert Visit.objects.count() == 1
    assert outbox_count(page) == 1  # the phone does not know: it keeps it

    monkeypatch.setattr(VisitCreateView, "saved", saved)
    net.restore()
    page.reload()  # the next page load sends it again: the server answers with the saved one
    page.wait_for_function("NightOutbox.all().then(r => r.length === 0)", timeout=TIMEOUT_MS)
    assert Visit.objects.count() == 1
    assert Visit.objects.get().situation == "回复丢失的那一次"


def test_logout_with_a_visit_on_the_phone_warns_then_clears(net, people, homes, sw_page,
                                                           monkeypatch):
    from django.http import HttpResponse

    from nightlog.views.visits import VisitCreateView

    page = sw_page
    open_app(page, net)
    # The server cannot take visits now (503): whatever is saved stays on the phone.
    monkeypatch.setattr(VisitCreateView, "post",
                        lambda self, request, *a, **k: HttpResponse(status=503))
    fill_visit(page, homes["h11"], "还没提交的走访")
    page.click("[data-testid=visit-save]")
    page.locator("[data-testid=outbox-count]").wait_for(state="visible")
    page.fill("#household-search", homes["h11"].head)
    page.fill("#id_situation", "只写了一半的草稿")

    warnings = []

    def dismiss(dialog):
        warnings.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.click("[data-testid=user-menu]")
    page.get_by_role("button", name="退出登录").click()
    assert wait_until(page, lambda: bool(warnings))
    assert "1 条走访没有提交" in warnings[0] and "1 份未保存的草稿" in warnings[0]
    page.wait_for_timeout(500)
    assert "/accounts/login/" not in page.url and outbox_count(page) == 1  # cancelled: kept

    page.once("dialog", lambda dialog: (warnings.append(dialog.message), dialog.accept()))
    if not page.get_by_role("button", name="退出登录").is_visible():
        page.click("[data-testid=user-menu]")
    with page.expect_navigation():
        page.get_by_role("button", name="退出登录").click()
    assert len(warnings) == 2 and "/accounts/login/" in page.url
    assert outbox_count(page) == 0
    assert page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('nightlog-draft:')).length") == 0
    assert page.evaluate("caches.has('zhucun-pages')") is False
    assert not Visit.objects.exists()


def test_the_app_is_installable_manifest_and_root_service_worker(live_server, people, sw_page):
    page = sw_page
    response = page.request.get(f"{live_server.url}/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert page.request.get(f"{live_server.url}{icon['src']}").status == 200
    sw = page.request.get(f"{live_server.url}/sw.js")
    assert sw.headers["service-worker-allowed"] == "/"
    assert sw.headers["content-type"].startswith("application/javascript")
    login(page, live_server, "cadre1")
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server.url}/"
