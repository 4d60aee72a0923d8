"""Pages through the client: roles, scope by URL, Chinese errors, query counts."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nightlog import services
from nightlog.models import Consultation, ContactCard, Problem, Visit
from residency.models import AuditLog
from tests.nightlog.factories import link, make_problem, make_visit
from tests.residency.factories import make_household

pytestmark = pytest.mark.django_db


def grow(people, directory, n):
    """n more linked must-visit households of v11 with a visit and a problem each, and
    the same in v12 for the other cadre."""
    for i in range(n):
        for key, village in (("cadre", "v11"), ("cadre_other", "v12")):
            h = make_household(directory[village], head=f"{village}户{i}",
                               categories=["hardship", "key_person"] if i % 2 else ["large_farm"])
            link(people[key], h)
            v = make_visit(people[key], h, visited_at=timezone.now() - timedelta(days=i % 5, hours=1))
            make_problem(v, owner=people["village_cadre"] if key == "cadre" else None,
                         status=["raised", "in_progress", "resolved", "confirmed"][i % 4],
                         due_date=timezone.localdate() - timedelta(days=1) if i % 3 == 0
                         else timezone.localdate() + timedelta(days=3))
        Consultation.objects.create(village=directory["v11"], convened_by=people["cadre"],
                                    held_on=timezone.localdate() - timedelta(days=i % 5),
                                    mode="up", topics=f"议题{i}")


def count_queries(client, url):
    """The queries of a page in steady state: one request first, so that the user's scope
    and unread badge (kept in the cache between requests) are the same for both counts."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


PAGES = [
    ("cadre", "home", {}),
    ("cadre", "nightlog:night-log", {}),
    ("cadre", "nightlog:visit-create", {}),
    ("cadre", "nightlog:coverage", {}),
    ("cadre", "nightlog:problem-list", {}),
    ("cadre", "nightlog:consultation-list", {}),
    ("cadre", "nightlog:card-list", {}),
    ("cadre", "nightlog:card-print", {}),
    ("village_cadre", "home", {}),
    ("village_cadre", "nightlog:problem-list", {}),
    ("township_admin", "home", {}),
    ("township_admin", "nightlog:link-list", {}),
    ("township_admin", "nightlog:coverage", {}),
    ("township_admin", "nightlog:problem-list", {"overdue": "1"}),
    ("org_department", "home", {}),
    ("org_department", "nightlog:consultation-list", {}),
    ("cadre", "nightlog:household-list", {}),
    ("township_admin", "nightlog:household-list", {}),
    ("township_admin", "nightlog:night-log", {}),
    ("township_admin", "nightlog:consultation-list", {}),
    ("org_department", "nightlog:coverage", {}),
    ("org_department", "nightlog:problem-list", {}),
]


def login(client, people, who):
    user = people[who].user if who.startswith("cadre") else people[who]
    client.force_login(user)


@pytest.mark.parametrize(("who", "name", "params"), PAGES)
def test_page_query_count_does_not_grow_with_the_data(client, people, directory, who, name, params,
                                                      django_assert_max_num_queries):
    login(client, people, who)
    url = reverse(name) + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
    grow(people, directory, 3)
    small = count_queries(client, url)
    grow(people, directory, 9)
    big = count_queries(client, url)
    assert big == small
    # The township admin's home also holds the appraisal app's charts card (11 queries).
    with django_assert_max_num_queries(40 if (who, name) == ("township_admin", "home") else 30):
        client.get(url)


def test_night_log_of_a_picked_cadre_costs_the_same_for_three_times_the_nights(client, people, directory):
    login(client, people, "township_admin")
    url = reverse("nightlog:night-log") + f"?cadre={people['cadre'].pk}"
    grow(people, directory, 3)
    small = count_queries(client, url)
    grow(people, directory, 9)
    assert count_queries(client, url) == small


def test_visit_and_problem_detail_pages_have_fixed_costs(client, people, directory, households,
                                                        django_assert_max_num_queries):
    login(client, people, "cadre")
    visit = make_visit(people["cadre"], households["h11"])
    problem = make_problem(visit, owner=people["village_cadre"])
    with django_assert_max_num_queries(16):
        assert client.get(reverse("nightlog:visit-detail", args=[visit.pk])).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(reverse("nightlog:problem-detail", args=[problem.pk])).status_code == 200



def test_a_household_page_costs_the_same_for_three_times_the_visits(client, people, households):
    login(client, people, "township_admin")
    h = households["h11"]
    url = reverse("nightlog:household-detail", args=[h.pk])

    def add(n, start=0):
        for i in range(start, start + n):
            v = make_visit(people["cadre"], h, visited_at=timezone.now() - timedelta(hours=i + 1))
            make_problem(v, owner=people["village_cadre"])
            ContactCard.objects.create(cadre=people["cadre"], household=h,
                                       given_on=timezone.localdate() - timedelta(days=i))

    add(3)
    small = count_queries(client, url)
    add(6, start=3)
    assert count_queries(client, url) == small


# --- Scope by URL ------------------------------------------------------------------

def test_a_cadre_never_reaches_another_villages_household_by_url(client, people, households):
    login(client, people, "cadre")
    assert client.get(reverse("nightlog:household-detail", args=[households["h12"].pk])).status_code == 404
    url = reverse("nightlog:visit-create") + f"?household={households['h12'].pk}"
    assert client.get(url).status_code == 404
    assert client.get(reverse("nightlog:visit-create") + "?household=abc").status_code == 404


def test_posting_another_villages_household_is_refused_with_a_chinese_message(client, people, households):
    login(client, people, "cadre")
    response = client.post(reverse("nightlog:visit-create"), {
        "household": households["h12"].pk, "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "situation": "情况"})
    assert response.status_code == 200 and "只能选择本人驻村村内的农户" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_cadre_cannot_read_or_edit_another_cadres_visit(client, people, directory):
    other = make_household(directory["v12"], head="外户", categories=["hardship"])
    visit = make_visit(people["cadre_other"], other)
    login(client, people, "cadre")
    assert client.get(reverse("nightlog:visit-detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("nightlog:visit-update", args=[visit.pk])).status_code == 404


def test_an_admin_cannot_pick_a_cadre_outside_the_township(client, people):
    login(client, people, "township_admin")
    url = reverse("nightlog:night-log") + f"?cadre={people['cadre_far'].pk}"
    assert client.get(url).status_code == 404
    url = reverse("nightlog:night-log") + f"?cadre={people['cadre'].pk}"
    assert client.get(url).status_code == 200


def test_a_village_cadre_sees_only_problems_handed_to_him(client, people, households, directory):
    mine = make_problem(make_visit(people["cadre"], households["h11"]), owner=people["village_cadre"])
    theirs = make_problem(make_visit(people["cadre"], make_household(directory["v11"], head="乙")))
    login(client, people, "village_cadre")
    assert client.get(reverse("nightlog:problem-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("nightlog:problem-detail", args=[theirs.pk])).status_code == 404
    html = client.get(reverse("home")).content.decode()
    assert mine.summary in html


def test_roles_without_the_page_are_forbidden(client, people):
    login(client, people, "village_cadre")
    assert client.get(reverse("nightlog:visit-create")).status_code == 403
    login(client, people, "township_admin")
    assert client.get(reverse("nightlog:visit-create")).status_code == 403
    client.logout()
    assert client.get(reverse("nightlog:night-log")).status_code == 302


# --- The visit form --------------------------------------------------------------

def post_visit(client, household, **over):
    data = {"household": household.pk,
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "situation": "户主眼睛失明", "requests": "找工作"}
    data.update(over)
    return client.post(reverse("nightlog:visit-create"), data)


def test_a_visit_in_the_future_is_refused_with_a_clear_message(client, people, households):
    login(client, people, "cadre")
    future = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = post_visit(client, households["h11"], visited_at=future)
    assert "走访时间不能晚于现在" in response.content.decode() and not Visit.objects.exists()


def test_an_empty_visit_is_refused_with_a_clear_message(client, people, households):
    login(client, people, "cadre")
    response = post_visit(client, households["h11"], situation="", requests="")
    assert "请至少填写家庭情况、诉求或建议中的一项" in response.content.decode()


def test_a_bad_date_is_a_form_error_not_a_500(client, people, households):
    login(client, people, "cadre")
    response = post_visit(client, households["h11"], visited_at="2026-13-45T99:99")
    assert response.status_code == 200 and "请输入有效的日期和时间" in response.content.decode()


def test_a_visit_with_a_problem_for_the_village_cadre_is_saved_in_one_form(client, people, households):
    login(client, people, "cadre")
    response = post_visit(client, households["h11"], needs_follow_up="on",
                          problem_summary="帮儿子找份合适的工作", problem_category="employment",
                          problem_urgency="normal", problem_owner=people["village_cadre"].pk)
    visit = Visit.objects.get()
    assert response.status_code == 302 and "saved=1" in response["Location"]
    assert visit.problems.get().owner == people["village_cadre"]
    page = client.get(response["Location"]).content.decode()
    assert f'data-visit-saved="{visit.client_key}"' in page


def test_a_frozen_visit_sends_the_editor_back_with_a_message(client, people, households):
    old = timezone.now() - timedelta(hours=50)
    visit = make_visit(people["cadre"], households["h11"], visited_at=old - timedelta(hours=1),
                       created_at=old)
    login(client, people, "cadre")
    response = client.get(reverse("nightlog:visit-update", args=[visit.pk]), follow=True)
    assert "已锁定" in response.content.decode()


def test_the_visit_page_shows_every_revision(client, people, households):
    people["cadre"].name = "汤忠飞"
    people["cadre"].save(update_fields=["name"])
    visit = services.visit_create(cadre=people["cadre"], household=households["h11"],
                                  visited_at=timezone.now() - timedelta(hours=1),
                                  by=people["cadre"].user, situation="初稿")
    login(client, people, "cadre")
    client.post(reverse("nightlog:visit-update", args=[visit.pk]), {
        "visited_at": timezone.localtime(visit.visited_at).strftime("%Y-%m-%dT%H:%M"),
        "situation": "改稿"})
    html = client.get(reverse("nightlog:visit-detail", args=[visit.pk])).content.decode()
    assert "初稿" in html and "改稿" in html and "首次记录" in html
    # Who saved each version: the person's name, never the login.
    revisions = html.split('data-testid="revisions"')[1].split("</ol>")[0]
    assert revisions.count(people["cadre"].name) == 2
    assert people["cadre"].user.username not in revisions


def test_a_bad_date_range_shows_a_chinese_error(client, people):
    login(client, people, "cadre")
    html = client.get(reverse("nightlog:night-log") + "?date_from=2026-02-30").content.decode()
    assert "开始日期格式应为" in html
    html = client.get(reverse("nightlog:coverage") + "?date_from=2026-03-01&date_to=2026-01-01").content.decode()
    assert "结束日期不能早于开始日期" in html



def test_coverage_shows_the_period_it_counts_by_default_the_current_quarter(client, people, households):
    from nightlog.nights import quarter_bounds

    login(client, people, "township_admin")
    start, end = quarter_bounds(timezone.localdate())
    html = client.get(reverse("nightlog:coverage")).content.decode()
    assert f'name="date_from" value="{start:%Y-%m-%d}"' in html
    assert f'name="date_to" value="{end:%Y-%m-%d}"' in html
    assert f"统计期间:{start:%Y-%m-%d} 至 {end:%Y-%m-%d}" in html
    html = client.get(reverse("nightlog:coverage") + "?date_from=2026-01-01&date_to=2026-01-31").content.decode()
    assert 'name="date_from" value="2026-01-01"' in html and "统计期间:2026-01-01 至 2026-01-31" in html


def test_coverage_of_a_category_without_households_is_a_dash_not_zero_percent(client, people, households):
    login(client, people, "township_admin")
    html = client.get(reverse("nightlog:coverage")).content.decode()
    assert "<td>种养大户</td><td>0</td><td>0</td><td>—</td>" in html
    assert "<td>困难户</td><td>1</td><td>0</td><td>0%</td>" in html



def test_pickers_say_what_to_pick_in_chinese_not_dashes(client, people, directory, households):
    login(client, people, "cadre")
    html = client.get(reverse("nightlog:card-list")).content.decode()
    assert "请选择农户" in html and "---------" not in html
    login(client, people, "township_admin")
    html = client.get(reverse("nightlog:link-list") + f"?village={directory['v11'].pk}").content.decode()
    assert "请选择干部" in html and "请选择农户" in html and "---------" not in html


def test_the_overdue_list_names_its_columns(client, people, directory):
    grow(people, directory, 3)
    login(client, people, "township_admin")
    html = client.get(reverse("home")).content.decode()
    table = html[html.index('data-testid="overdue"'):]
    assert table.index("<th>问题</th><th>村(社区)</th><th>责任人</th><th>办结期限</th>") < table.index("</table>")



def test_the_visit_form_says_what_an_empty_due_date_means_and_what_a_problem_record_is(client, people):
    login(client, people, "cadre")
    html = client.get(reverse("nightlog:visit-create")).content.decode()
    assert "不填则按紧急程度:一般 14 天、紧急 3 天、特急 1 天。" in html
    assert "填写后登记为“现场破难”问题，有责任人和办结期限，逾期会提醒；不填则只标记需要跟进。" in html


def test_an_empty_due_date_follows_the_urgency_as_the_form_says(client, people, households):
    login(client, people, "cadre")
    client.post(reverse("nightlog:visit-create"), {
        "household": households["h11"].pk,
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "situation": "情况",
        "needs_follow_up": "on", "problem_summary": "路灯坏了", "problem_category": "other",
        "problem_urgency": "urgent"})
    assert Problem.objects.get().due_date == timezone.localdate() + timedelta(days=3)


# --- Personal data ----------------------------------------------------------------

def test_the_responsible_cadre_sees_the_full_record_and_it_is_audited(client, people, households):
    link(people["cadre"], households["h11"])
    login(client, people, "cadre")
    html = client.get(reverse("nightlog:household-detail-full", args=[households["h11"].pk])).content.decode()
    assert "330483199001011239" in html and "13912345678" in html
    assert AuditLog.objects.get(action="household_view").success


def test_a_cadre_of_the_village_who_is_not_responsible_sees_masked_data(client, people, households, directory):
    h = make_household(directory["v11"], head="丙")
    link(people["cadre"], households["h11"])
    login(client, people, "cadre")
    html = client.get(reverse("nightlog:household-detail-full", args=[h.pk])).content.decode()
    assert "330483199001011239" not in html and "330483********1239" in html


# --- Admin pages -------------------------------------------------------------------

def test_the_admin_applies_the_link_suggestion(client, people, directory):
    for i in range(6):
        make_household(directory["v11"], head=f"必访{i}", categories=["hardship"])
    login(client, people, "township_admin")
    url = reverse("nightlog:link-suggestion-apply", args=[directory["v11"].pk])
    client.post(url)
    html = client.get(reverse("nightlog:link-list") + f"?village={directory['v11'].pk}").content.decode()
    assert "所有五必访农户都已有联系干部" in html


def test_the_admin_dashboard_lists_cadres_below_five_and_unlinked_must_visit_households(client, people, households):
    login(client, people, "township_admin")
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="cadres-below"' in html and people["cadre"].name in html
    assert "王大明户" in html  # h11 is a hardship household with nobody responsible


def test_contact_cards_print_several_to_a_sheet(client, people, households):
    login(client, people, "cadre")
    client.post(reverse("nightlog:card-list"), {"household": households["h11"].pk,
                                                "given_on": timezone.localdate().isoformat()})
    assert ContactCard.objects.count() == 1
    html = client.get(reverse("nightlog:card-print") + "?copies=8").content.decode()
    assert html.count('data-testid="contact-card"') == 8 and "13800000001" in html


def test_problem_steps_through_the_page(client, people, households):
    problem = make_problem(make_visit(people["cadre"], households["h11"]), owner=people["village_cadre"])
    login(client, people, "village_cadre")
    url = reverse("nightlog:problem-act", args=[problem.pk])
    client.post(url, {"action": "resolve", "resolution": "", "on_the_spot": "1"})
    assert Problem.objects.get().status == "raised"
    client.post(url, {"action": "resolve", "resolution": "介绍工作", "on_the_spot": "1"})
    assert Problem.objects.get().status == "resolved"


def test_the_visit_form_opened_from_a_household_has_it_selected_and_linked_ones_on_top(
        client, people, households, directory):
    extra = make_household(directory["v11"], head="甲户")
    link(people["cadre"], extra)
    login(client, people, "cadre")
    html = client.get(reverse("nightlog:visit-create") + f"?household={households['h11'].pk}").content.decode()
    assert f'<option value="{households["h11"].pk}" selected>' in html
    assert html.index("★ 甲户") < html.index("王大明")


def test_a_consultation_is_recorded_through_the_form_with_its_problems(client, people, directory):
    login(client, people, "cadre")
    response = client.post(reverse("nightlog:consultation-create"), {
        "village": directory["v11"].pk, "held_on": timezone.localdate().isoformat(),
        "mode": "down", "topics": "村道修缮", "measures": "一个月内动工",
        "count_residents": "12", "names_village_cadres": "甲、乙",
        "problem_0_summary": "村道坑洼", "problem_0_category": "infrastructure",
        "problem_0_owner": people["village_cadre"].pk})
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert consultation.problems.get().owner == people["village_cadre"]
    assert {p.kind: p.count for p in consultation.participants.all()} == {
        "residents": 12, "village_cadres": 2}


def test_a_consultation_without_participants_is_refused_in_chinese(client, people, directory):
    login(client, people, "cadre")
    response = client.post(reverse("nightlog:consultation-create"), {
        "village": directory["v11"].pk, "held_on": timezone.localdate().isoformat(),
        "mode": "up", "topics": "议题"})
    assert "请至少填写一类参加人员的人数或姓名" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_cadre_cannot_open_the_coverage_of_another_village(client, people, directory):
    login(client, people, "cadre")
    url = reverse("nightlog:coverage") + f"?village={directory['v12'].pk}"
    assert client.get(url).status_code == 404


def test_the_province_viewer_reads_problems_but_cannot_move_them(client, people, households):
    problem = make_problem(make_visit(people["cadre"], households["h11"]))
    client.force_login(people["province_viewer"])
    assert client.get(reverse("nightlog:problem-detail", args=[problem.pk])).status_code == 200
    client.post(reverse("nightlog:problem-act", args=[problem.pk]), {"action": "start"})
    assert Problem.objects.get().status == "raised"


def test_the_admin_picks_a_cadre_before_printing_cards(client, people):
    login(client, people, "township_admin")
    html = client.get(reverse("nightlog:card-print")).content.decode()
    assert people["cadre"].name in html and 'data-testid="contact-card"' not in html
    url = reverse("nightlog:card-print") + f"?cadre={people['cadre_far'].pk}"
    assert client.get(url).status_code == 404
