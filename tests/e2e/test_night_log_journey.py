"""The article's evening on a phone (390x844): a cadre checks in at the village office,
logs three household visits, one with a problem handed to the village party secretary
(a village cadre), and the township admin then sees them on the dashboard. Also: the
visit form keeps a local draft when the network drops and resends it."""
from __future__ import annotations

import pytest
from django.utils import timezone

from nightlog.models import Problem, Visit
from residency.models import RosterWeek, Stay
from tests.e2e.conftest import PHONE, login, logout
from tests.nightlog.factories import link
from tests.residency.factories import make_household

pytestmark = pytest.mark.e2e


@pytest.fixture
def evening(settings, people, directory, households):
    """A published stay for tonight at 东村 and three linked households. The check-in
    window is opened around the clock so that the test runs at any hour."""
    settings.CHECKIN_WINDOW_START = "00:00"
    settings.CHECKIN_WINDOW_END = "24:00"
    cadre = people["cadre"]
    v11 = directory["v11"]
    tonight = timezone.localdate()
    week = RosterWeek.objects.create(township=v11.township,
                                     week_start=tonight - timezone.timedelta(days=tonight.weekday()),
                                     status=RosterWeek.Status.PUBLISHED,
                                     published_at=timezone.now())
    stay = Stay.objects.create(cadre=cadre, village=v11, night=tonight, week=week)
    homes = [households["h11"],
             make_household(v11, head="钱家强", categories=["large_farm"], group="二组"),
             make_household(v11, head="孙玉芳", categories=["private_business"], group="三组")]
    for h in homes:
        link(cadre, h)
    return {"stay": stay, "homes": homes}


def log_visit(page, household, situation, requests="", problem=None, owner=None):
    page.fill("#household-search", household.head)
    assert page.eval_on_selector("#id_household", "el => el.value") == str(household.pk)
    page.fill("#id_situation", situation)
    if requests:
        page.fill("#id_requests", requests)
    if problem:
        page.check("#id_needs_follow_up")
        page.fill("#id_problem_summary", problem)
        page.select_option("#id_problem_category", "employment")
        page.select_option("#id_problem_owner", str(owner.pk))
    with page.expect_navigation():
        page.click("[data-testid=visit-save]")
    assert "已记入民情夜记" in page.locator("main").inner_text()


def test_the_articles_evening(live_server, people, evening, phone_page):
    page = phone_page
    assert page.viewport_size == PHONE
    login(page, live_server, "cadre1")

    # Check in at the village office.
    with page.expect_navigation():
        page.click("[data-testid=checkin]")
    assert page.locator("[data-testid=checked-in]").is_visible()

    # Three households; at the first the follow-up goes to the village party secretary.
    with page.expect_navigation():
        page.click("[data-testid=log-visit]")
    first, second, third = evening["homes"]
    log_visit(page, first, "户主眼睛失明，儿子打零工每月收入约一千元，母亲患关节炎。",
              requests="希望给儿子找份合适的工作", problem="帮儿子找一份合适的工作",
              owner=people["village_cadre"])
    assert page.locator("[data-testid=stay-night]").inner_text() == evening["stay"].night.isoformat()
    for household, text in ((second, "今年种了二十亩水稻，担心晚稻受涝。"),
                            (third, "经营小超市，生意平稳，想了解小微企业贷款政策。")):
        with page.expect_navigation():
            page.click("[data-testid=next-visit]")
        log_visit(page, household, text)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]

    visits = Visit.objects.filter(cadre=people["cadre"])
    assert visits.count() == 3 and all(v.stay_id == evening["stay"].pk for v in visits)
    problem = Problem.objects.get()
    assert problem.owner == people["village_cadre"] and problem.household == first

    # The night log shows the evening.
    page.goto(f"{live_server.url}/nightlog/log/")
    assert page.locator("[data-testid=night]").count() == 1
    assert "帮儿子找一份合适的工作" in page.locator("[data-testid=night]").inner_text()
    logout(page)

    # The village party secretary sees what was handed to him.
    login(page, live_server, "vcadre")
    assert "帮儿子找一份合适的工作" in page.locator("[data-testid=handed-problems]").inner_text()
    logout(page)

    # The township admin sees the three visits and the open problem on the dashboard.
    login(page, live_server, "tadmin")
    row = page.locator("[data-testid=visits-per-cadre] tr", has_text=people["cadre"].name)
    assert row.locator("td").nth(1).inner_text() == "3"
    assert "0/1" in page.locator("[data-testid=problem-stats]").inner_text()
    with page.expect_navigation():
        row.locator("a").click()
    assert page.locator("[data-testid=log-cadre]").inner_text() == people["cadre"].name
    assert page.locator("[data-testid=night] a[href*='/nightlog/visits/']").count() == 3


def test_each_visit_form_keeps_its_own_draft_and_reopening_offers_them(live_server, people,
                                                                       evening, phone_page):
    page = phone_page
    login(page, live_server, "cadre1")
    url = f"{live_server.url}/nightlog/visits/new/"
    first, second = evening["homes"][1], evening["homes"][2]
    page.goto(url)
    page.fill("#household-search", first.head)
    page.fill("#id_situation", "第一张表：没来得及保存")
    page.goto(url)  # another form: a new key, the first draft is not overwritten
    page.fill("#household-search", second.head)
    page.fill("#id_situation", "第二张表：也没保存")
    page.goto(f"{live_server.url}/")
    page.goto(url)
    banner = page.locator("[data-testid=draft-banner]")
    banner.wait_for(state="visible")
    assert page.locator("[data-testid=draft-row]").count() == 2
    assert first.head in banner.inner_text() and second.head in banner.inner_text()
    page.locator("[data-testid=draft-row]", has_text="第一张表").get_by_role(
        "button", name="恢复草稿").click()
    assert page.input_value("#id_situation") == "第一张表：没来得及保存"
    assert page.eval_on_selector("#id_household", "el => el.value") == str(first.pk)
    with page.expect_navigation():
        page.click("[data-testid=visit-save]")
    assert Visit.objects.get().situation == "第一张表：没来得及保存"
    page.goto(url)
    page.locator("[data-testid=draft-row]").first.wait_for(state="visible")
    assert page.locator("[data-testid=draft-row]").count() == 1
    assert "第二张表" in page.locator("[data-testid=draft-banner]").inner_text()


def test_ending_a_link_or_escalating_a_problem_asks_first_and_cancel_changes_nothing(
        live_server, people, directory, households, desktop_page):
    from nightlog.models import LinkedHousehold
    from tests.nightlog.factories import make_problem, make_visit

    page = desktop_page
    tie = link(people["cadre"], households["h11"])
    problem = make_problem(make_visit(people["cadre"], households["h11"]))
    login(page, live_server, "tadmin")
    asked = []

    def answer(accept):
        def handler(dialog):
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()
        return handler

    page.goto(f"{live_server.url}/nightlog/links/?village={directory['v11'].pk}")
    page.once("dialog", answer(False))
    page.click(f"form[action$='/links/{tie.pk}/end/'] button")
    page.wait_for_timeout(300)
    assert "王大明" in asked[-1] and LinkedHousehold.objects.get(pk=tie.pk).until is None
    page.once("dialog", answer(True))
    with page.expect_navigation():
        page.click(f"form[action$='/links/{tie.pk}/end/'] button")
    assert LinkedHousehold.objects.get(pk=tie.pk).until is not None

    logout(page)
    login(page, live_server, "cadre1")
    page.goto(f"{live_server.url}/nightlog/problems/{problem.pk}/")
    page.once("dialog", answer(False))
    page.click("#problem-action-form button[type=submit]")
    page.wait_for_timeout(300)
    assert "确定提交所选操作" in asked[-1]
    problem.refresh_from_db()
    assert problem.status == "raised"


def test_typing_a_name_that_matches_nobody_unpicks_the_household(live_server, people, evening,
                                                                phone_page):
    page = phone_page
    login(page, live_server, "cadre1")
    page.goto(f"{live_server.url}/nightlog/visits/new/")
    first = evening["homes"][1]
    page.fill("#household-search", first.head)
    assert page.eval_on_selector("#id_household", "el => el.value") == str(first.pk)
    page.fill("#household-search", first.head + "无此人")
    assert page.eval_on_selector("#id_household", "el => el.value") == ""
    page.fill("#id_situation", "情况")
    with page.expect_navigation():
        page.click("[data-testid=visit-save]")
    assert not Visit.objects.exists()
    assert page.locator("#id_household").evaluate("el => el.classList.contains('is-invalid')")


def test_a_correction_keeps_its_own_draft_keyed_by_its_address(live_server, people, evening,
                                                               phone_page):
    from tests.nightlog.factories import make_visit

    page = phone_page
    visit = make_visit(people["cadre"], evening["homes"][0], situation="初稿")
    login(page, live_server, "cadre1")
    url = f"{live_server.url}/nightlog/visits/{visit.pk}/update/"
    page.goto(url)
    page.fill("#id_situation", "改到一半")
    page.goto(f"{live_server.url}/nightlog/visits/new/")  # the new-visit form shows no such draft
    page.wait_for_timeout(300)
    assert not page.locator("[data-testid=draft-banner]").is_visible()
    page.goto(url)
    page.locator("[data-testid=draft-banner]").wait_for(state="visible")
    page.get_by_role("button", name="恢复草稿").click()
    assert page.input_value("#id_situation") == "改到一半"
    with page.expect_navigation():
        page.get_by_role("button", name="保存修改").click()
    visit.refresh_from_db()
    assert visit.situation == "改到一半"
    page.goto(url)
    page.wait_for_timeout(300)
    assert not page.locator("[data-testid=draft-banner]").is_visible()
