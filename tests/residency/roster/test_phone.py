"""The roster on a phone: a per-night view (every village, uncovered first) and a
per-village view (one village, the week); each gap's reason in its cell in a few words;
moving a stay offers the week's workday nights only; a refused move is a message."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from residency.models import Stay, WorkdayOverride
from residency.nights.isoweek import format_week, monday_of
from residency.roster.dashboards import gap_short
from tests.residency.factories import make_cadre
from tests.residency.roster.factories import make_leave, make_stay, make_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(people, directory):
    """Next week, a draft: 东村 covered on Monday; 西村's only cadre on leave on Monday;
    Wednesday made a holiday by the county."""
    monday = monday_of(timezone.localdate()) + timedelta(days=7)
    d = directory
    WorkdayOverride.objects.create(county=d["county"], date=monday + timedelta(days=2),
                                   is_workday=False, reason="地方节日")
    rweek = make_week(d["t1"], monday)
    stay = make_stay(rweek, people["cadre"], d["v11"], monday)
    helper = make_cadre(d["v11"], username="helper", name="帮手")
    make_stay(rweek, helper, d["v11"], monday)
    make_leave(people["cadre_other"], monday, monday)
    return {"monday": monday, "week": rweek, "stay": stay, "helper": helper, **d}


def night_url(w, night):
    return reverse("residency:roster-night", args=[w["t1"].pk, format_week(w["monday"]),
                                                   night.isoformat()])


@pytest.mark.parametrize(("facts", "short"), [
    ({"stationed": 0, "on_leave": 0, "past": False, "planner_reason": ""}, "无驻村干部"),
    ({"stationed": 2, "on_leave": 2, "past": False, "planner_reason": "x"}, "全部请假"),
    ({"stationed": 2, "on_leave": 0, "past": True, "planner_reason": ""}, "当晚无人住夜"),
    ({"stationed": 2, "on_leave": 1, "past": False, "planner_reason": "同镇无空闲干部可借调"},
     "无可借调干部"),
    ({"stationed": 2, "on_leave": 0, "past": False, "planner_reason": ""}, "未安排"),
])
def test_a_gap_says_why_in_a_few_words(facts, short):
    assert gap_short(**facts) == short


def test_the_night_view_lists_every_village_uncovered_first_with_the_reason(client, people, week):
    client.force_login(people["township_admin"])
    response = client.get(night_url(week, week["monday"]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [v.name for v, _cell in rows] == ["西村", "东村"]  # the gap first
    html = response.content.decode()
    assert "未覆盖: 全部请假" in html and "1 个村(社区)未覆盖" in html
    assert f'data-testid="assign-{week["v12"].pk}-{week["monday"]:%Y-%m-%d}"' in html


def test_the_week_grid_writes_the_short_reason_in_the_cell_and_no_list_below(client, people, week):
    client.force_login(people["township_admin"])
    html = client.get(reverse("residency:roster-week", args=[
        week["t1"].pk, format_week(week["monday"])])).content.decode()
    assert "未覆盖: 全部请假" in html and 'data-testid="gaps"' not in html
    assert 'class="sticky-col"' in html  # the village column stays when scrolling sideways


def test_the_village_view_shows_one_village_night_by_night(client, people, week):
    client.force_login(people["township_admin"])
    response = client.get(reverse("residency:roster-village", args=[
        week["t1"].pk, format_week(week["monday"]), week["v11"].pk]))
    cells = response.context["cells"]
    assert len(cells) == 7 and cells[0].state == "planned" and not cells[2].workday
    assert "帮手" in response.content.decode()


@pytest.mark.parametrize("bad", ["2000-01-01", "garbage", "2026-02-30"])
def test_a_night_outside_the_week_or_not_a_date_answers_404(client, people, week, bad):
    client.force_login(people["township_admin"])
    url = reverse("residency:roster-night", args=[week["t1"].pk, format_week(week["monday"]), bad])
    assert client.get(url).status_code == 404


def test_another_townships_village_answers_404_in_the_village_view(client, people, week):
    client.force_login(people["township_admin"])
    url = reverse("residency:roster-village", args=[week["t1"].pk, format_week(week["monday"]),
                                                    week["v21"].pk])
    assert client.get(url).status_code == 404


def test_moving_a_stay_offers_only_the_weeks_workday_nights(client, people, week):
    client.force_login(people["township_admin"])
    form = client.get(reverse("residency:stay-detail", args=[week["stay"].pk])).context["move_form"]
    offered = [date.fromisoformat(value) for value, _label in form.fields["night"].choices]
    monday = week["monday"]
    assert offered == [monday, monday + timedelta(days=1), monday + timedelta(days=3),
                       monday + timedelta(days=4)]  # no Wednesday holiday, no weekend


def test_a_refused_move_is_a_message_on_the_page_not_an_error_status(client, people, week):
    client.force_login(people["township_admin"])
    stay, helper = week["stay"], week["helper"]
    response = client.post(reverse("residency:stay-move", args=[stay.pk]), {
        "cadre": helper.pk, "village": week["v11"].pk, "night": week["monday"].isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "未能调整" in html and "alert" in html
    assert Stay.objects.get(pk=stay.pk).cadre_id == people["cadre"].pk


def test_a_move_from_the_night_view_returns_to_it_and_fixes_the_gap(client, people, week):
    client.force_login(people["township_admin"])
    back = night_url(week, week["monday"])
    response = client.post(reverse("residency:stay-move", args=[week["stay"].pk]), {
        "cadre": people["cadre"].pk, "village": week["v12"].pk,
        "night": week["monday"].isoformat(), "next": back})
    assert response.status_code == 302 and response.url == back
    page = client.get(back)
    assert page.context["uncovered"] == 0


def test_next_never_leads_off_the_site(client, people, week):
    client.force_login(people["township_admin"])
    response = client.post(reverse("residency:stay-move", args=[week["stay"].pk]), {
        "cadre": people["cadre"].pk, "village": week["v12"].pk,
        "night": week["monday"].isoformat(), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url.startswith("/residency/roster/")


def test_the_night_view_costs_the_same_whatever_the_size(client, people, week,
                                                        django_assert_max_num_queries):
    client.force_login(people["township_admin"])
    with django_assert_max_num_queries(20) as few:
        client.get(night_url(week, week["monday"]))
    for i in range(4):
        village = week["t1"].villages.create(code=f"7{i}", name=f"多村{i}")
        cadre = make_cadre(village, username=f"many{i}")
        make_stay(week["week"], cadre, village, week["monday"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(night_url(week, week["monday"])).context["rows"]) == 6
