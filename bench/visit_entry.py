"""Figures for recording a visit on a phone (390x844) with a weak signal (issue 12).

Drives Debian's Chromium through Playwright against a live server on a fresh SQLite
database (one village, one cadre, eight households, five linked), with the service worker
allowed and the server behind a loopback relay that can cut the network for the whole
browser, service worker included (tests/e2e/netcut.py). Prints:

- inputs: the taps and text entries a cadre needs to record a visit, from the home page
  (记一户, household, situation, 保存), counted by the script, and the scripted time;
- sync (page open): a visit saved offline, then the network returns with the page left
  open: seconds until it is on the server;
- sync (page reopened): a visit saved offline, the page closed, the network returns and
  记一户 is opened again: seconds from the network's return until it is on the server.

Usage (from the project root): .venv/bin/python bench/visit_entry.py [--runs 3]
Not a timed test: the figures go to docs/PERFORMANCE.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/lib/chromium/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
FORM = "/nightlog/visits/new/"


def setup(db_path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tongxiang.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build():
    from tests.nightlog.factories import link
    from tests.residency.factories import (
        make_cadre,
        make_county,
        make_household,
        make_township,
        make_village,
    )

    county = make_county(code="330483", name="测试县")
    village = make_village(make_township(county, code="001", name="甲镇"), code="001",
                           name="东村")
    cadre = make_cadre(village, username="bench_cadre", phone="13800000009")
    homes = [make_household(village, head=name, categories=["hardship"] if i < 3 else [])
             for i, name in enumerate(["王大明", "钱家强", "孙玉芳", "李春华", "周建国", "吴桂英",
                                       "郑小军", "冯秀兰"])]
    for home in homes[:5]:
        link(cadre, home)
    return cadre, homes


class Counter:
    """Every tap and text entry goes through here."""

    def __init__(self, page):
        self.page, self.steps = page, []

    def tap(self, selector, what):
        self.steps.append(f"tap {what}")
        self.page.click(selector)

    def type(self, selector, text, what):
        self.steps.append(f"type {what}")
        self.page.fill(selector, text)


def login(page, base, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "bench_cadre")
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def wait_for_server(page, text, timeout=30.0):
    from nightlog.models import Visit

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if Visit.objects.filter(situation=text).exists():
            return time.monotonic()
        page.wait_for_timeout(50)
    raise SystemExit(f"not on the server after {timeout} s: {text}")


def ready(page, base):
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        f"caches.open('zhucun-pages').then(c => c.match('{base}{FORM}')).then(Boolean)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-visit-")
    setup(str(Path(tmp) / "db.sqlite3"))

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    from tests.e2e.netcut import NetCut
    from tests.residency.factories import PASSWORD

    cadre, homes = build()
    server = LiveServerThread("localhost", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    net = NetCut(f"http://localhost:{server.port}")
    base = net.url
    entry_times, inputs, open_sync, reopen_sync = [], [], [], []

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                      has_touch=True, service_workers="allow")
        context.set_default_timeout(20_000)
        page = context.new_page()
        login(page, base, PASSWORD)
        page.goto(f"{base}{FORM}")
        ready(page, base)

        for run in range(args.runs):
            # 1. Recording a visit, online, from the home page.
            page.goto(f"{base}/")
            counter = Counter(page)
            start = time.monotonic()
            with page.expect_navigation():
                counter.tap("[data-testid=log-visit]", "记一户")
            counter.type("#household-search", homes[run % 5].head, "household name")
            counter.type("#id_situation", f"第{run}次：家里一切正常，想了解医保缴费", "situation")
            with page.expect_navigation():
                counter.tap("[data-testid=visit-save]", "保存")
            entry_times.append(time.monotonic() - start)
            inputs.append(len(counter.steps))
            steps = counter.steps

            # 2. Saved offline, page left open, network back.
            page.goto(f"{base}{FORM}")
            net.cut()
            context.set_offline(True)
            text = f"离线{run}：页面一直开着"
            page.fill("#household-search", homes[0].head)
            page.fill("#id_situation", text)
            page.click("[data-testid=visit-save]")
            page.locator("[data-testid=outbox-count]").wait_for(state="visible")
            t0 = time.monotonic()
            net.restore()
            context.set_offline(False)
            open_sync.append(wait_for_server(page, text) - t0)

            # 3. Saved offline, page closed, network back, 记一户 opened again.
            page.goto(f"{base}{FORM}")
            net.cut()
            context.set_offline(True)
            text = f"离线{run}：关掉页面再打开"
            page.fill("#household-search", homes[1].head)
            page.fill("#id_situation", text)
            page.click("[data-testid=visit-save]")
            page.locator("[data-testid=outbox-count]").wait_for(state="visible")
            page.close()
            t0 = time.monotonic()
            net.restore()
            context.set_offline(False)
            page = context.new_page()
            page.goto(f"{base}{FORM}")
            reopen_sync.append(wait_for_server(page, text) - t0)
        browser.close()
    net.close()

    print("Recording a visit at 390x844 (bench/visit_entry.py, "
          f"{args.runs} runs, headless Chromium, loopback):")
    print(f"  inputs per visit: {max(inputs)} ({', '.join(steps)})")
    print(f"  scripted time per visit: median {statistics.median(entry_times):.2f} s")
    print(f"  offline visit on the server after the network returns, page open: "
          f"median {statistics.median(open_sync):.2f} s, max {max(open_sync):.2f} s")
    print(f"  offline visit on the server after the network returns, page closed and "
          f"reopened: median {statistics.median(reopen_sync):.2f} s, max {max(reopen_sync):.2f} s")
    ok = max(inputs) <= 6 and max(open_sync) <= 5 and max(reopen_sync) <= 5
    print("  targets (<= 6 inputs, <= 5 s):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
