"""The roster pages through the client: scope (404 outside one's township), roles, the
grid, plan / publish / edit, the cadre's view (never drafts), and pinned query counts."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from residency.models import AuditLog, RosterWeek, Stay
from residency.nights.isoweek import format_week, monday_of
from residency.roster.services import roster_plan, roster_publish
from tests.residency.factories import make_cadre
from tests.residency.roster.factories import make_leave, populate


@pytest.fixture
def next_monday():
    return monday_of(timezone.localdate()) + timedelta(days=7)


@pytest.fixture
def staffed(people, directory):
    d = directory
    extra = [make_cadre(d["v11"], username=f"x{i}") for i in range(3)]
    extra += [make_cadre(d["v12"], username=f"y{i}") for i in range(3)]
    return extra


def login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    return client


def week_url(township, monday, name="roster-week"):
    return reverse(f"residency:{name}", args=[township.pk, format_week(monday)])


def test_township_admin_plans_and_publishes_a_week_through_the_pages(client, people, directory, staffed,
                                                                     next_monday):
    t1 = directory["t1"]
    login(client, "tadmin")
    response = client.post(week_url(t1, next_monday, "roster-plan"), follow=True)
    assert response.status_code == 200
    assert Stay.objects.filter(week__week_start=next_monday).exists()
    assert "排班完成" in response.content.decode()
    client.post(week_url(t1, next_monday, "roster-publish"))
    assert RosterWeek.objects.get(township=t1, week_start=next_monday).status == "published"
    assert AuditLog.objects.filter(action="roster_publish").exists()


def test_a_township_admin_gets_404_for_another_townships_week_and_stays(client, people, directory,
                                                                        next_monday):
    d = directory
    other = make_cadre(d["v21"], username="south")
    roster_plan(township=d["t2"], week_start=next_monday)
    stay = Stay.objects.filter(cadre=other).first()
    login(client, "tadmin")
    assert client.get(week_url(d["t2"], next_monday)).status_code == 404
    assert client.post(week_url(d["t2"], next_monday, "roster-plan")).status_code == 404
    assert client.get(reverse("residency:stay-detail", args=[stay.pk])).status_code == 404
    assert client.post(reverse("residency:stay-delete", args=[stay.pk])).status_code == 404
    assert Stay.objects.filter(pk=stay.pk).exists()


def test_a_bad_week_string_is_a_404_not_a_500(client, people, directory):
    login(client, "tadmin")
    response = client.get(reverse("residency:roster-week", args=[directory["t1"].pk, "2026-W60"]))
    assert response.status_code == 404


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "1999-W10", "2101-W01"])
@pytest.mark.parametrize("name", ["roster-week", "roster-print", "roster-xlsx"])
def test_a_week_in_a_year_out_of_range_is_a_404_not_a_500(client, people, directory, week, name):
    login(client, "tadmin")
    response = client.get(reverse(f"residency:{name}", args=[directory["t1"].pk, week]))
    assert response.status_code == 404


def test_planning_a_week_in_a_year_out_of_range_is_a_404_and_saves_nothing(client, people, directory):
    login(client, "tadmin")
    response = client.post(reverse("residency:roster-plan", args=[directory["t1"].pk, "9999-W52"]))
    assert response.status_code == 404
    assert not RosterWeek.objects.exists()


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "abc"])
def test_a_month_out_of_range_on_the_dashboard_is_refused_in_chinese_not_a_500(client, people, directory,
                                                                                month):
    login(client, "tadmin")
    response = client.get(reverse("residency:dashboard-township") + f"?month={month}")
    assert response.status_code == 200
    assert "月份格式应为 2026-03" in response.content.decode()


def test_cadres_and_inspectors_cannot_open_the_week_grid(client, people, directory, next_monday):
    login(client, "cadre1")
    assert client.get(week_url(directory["t1"], next_monday)).status_code == 403
    client.logout()
    login(client, "insp")
    assert client.get(week_url(directory["t1"], next_monday)).status_code == 403


def test_a_cadre_never_sees_a_draft_only_published_nights(client, people, directory, staffed, next_monday):
    t1 = directory["t1"]
    cadre = people["cadre"]
    roster_plan(township=t1, week_start=next_monday)
    night = Stay.objects.filter(cadre=cadre).first().night
    login(client, "cadre1")
    page = client.get(reverse("residency:roster-mine")).content.decode()
    assert night.strftime("%m-%d") not in page
    roster_publish(week=RosterWeek.objects.get(township=t1, week_start=next_monday))
    page = client.get(reverse("residency:roster-mine")).content.decode()
    assert night.strftime("%m-%d") in page


def test_an_assignment_that_breaks_a_rule_is_refused_with_the_reason(client, people, directory, staffed,
                                                                     next_monday):
    t1 = directory["t1"]
    roster_plan(township=t1, week_start=next_monday)
    cadre = people["cadre"]
    make_leave(cadre, next_monday, next_monday + timedelta(days=6))
    login(client, "tadmin")
    response = client.post(week_url(t1, next_monday, "stay-assign"), {
        "cadre": cadre.pk, "village": directory["v11"].pk, "night": next_monday.isoformat()})
    assert response.status_code == 400
    assert "已请假" in response.content.decode()


def test_the_admin_moves_a_stay_to_another_cadre_through_the_page(client, people, directory, staffed,
                                                                  next_monday):
    t1, v11 = directory["t1"], directory["v11"]
    roster_plan(township=t1, week_start=next_monday)
    stays = list(Stay.objects.filter(village=v11).order_by("night"))
    counts = {}
    for s in Stay.objects.filter(week__week_start=next_monday):
        counts[s.cadre_id] = counts.get(s.cadre_id, 0) + 1
    stay = next(s for s in stays if counts[s.cadre_id] == 2)
    target = next(s.cadre for s in stays if counts[s.cadre_id] == 1 and abs((s.night - stay.night).days) > 0)
    login(client, "tadmin")
    response = client.post(reverse("residency:stay-move", args=[stay.pk]), {
        "cadre": target.pk, "village": v11.pk, "night": stay.night.isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    stay.refresh_from_db()
    assert stay.cadre_id == target.pk


def test_deleting_a_stay_asks_for_confirmation_and_refuses_to_uncover_a_night(client, people, directory,
                                                                            staffed, next_monday):
    t1 = directory["t1"]
    roster_plan(township=t1, week_start=next_monday)
    stay = Stay.objects.filter(village=directory["v11"]).first()
    login(client, "tadmin")
    confirm = client.get(reverse("residency:stay-delete", args=[stay.pk]))
    assert "确定删除" in confirm.content.decode()
    response = client.post(reverse("residency:stay-delete", args=[stay.pk]))
    assert response.status_code == 400
    assert "将无人住夜" in response.content.decode()
    assert Stay.objects.filter(pk=stay.pk).exists()


@pytest.mark.parametrize("size", [1, 3])
def test_week_grid_query_count_does_not_grow_with_villages_and_cadres(client, people, directory,
                                                                      next_monday, size,
                                                                      django_assert_max_num_queries):
    t1 = directory["t1"]
    populate(t1, villages=4 * size, cadres_per_village=3 * size)
    roster_plan(township=t1, week_start=next_monday)
    login(client, "tadmin")
    with django_assert_max_num_queries(25):
        response = client.get(week_url(t1, next_monday))
    assert response.status_code == 200
    assert "p村0" in response.content.decode()


@pytest.mark.parametrize("size", [1, 3])
def test_dashboards_query_counts_do_not_grow(client, people, directory, next_monday, size,
                                             django_assert_max_num_queries):
    t1 = directory["t1"]
    populate(t1, villages=3 * size, cadres_per_village=2 * size)
    populate(directory["t2"], villages=2 * size, cadres_per_village=2 * size, prefix="q")
    this_monday = next_monday - timedelta(days=7)
    for monday in (this_monday, next_monday):
        for t in (t1, directory["t2"]):
            roster_plan(township=t, week_start=monday, today=this_monday)
            roster_publish(week=RosterWeek.objects.get(township=t, week_start=monday))
    login(client, "tadmin")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("residency:dashboard-township")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("residency:dashboard-township") + "?month=2026-03").status_code == 200
    # The home page also holds other apps' cards (the appraisal's charts card: 11 queries).
    with django_assert_max_num_queries(40):
        assert client.get(reverse("home")).status_code == 200
    client.logout()
    login(client, "org")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("residency:dashboard-county"))
    assert response.status_code == 200
    assert "甲镇" in response.content.decode()
    with django_assert_max_num_queries(30):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("residency:dashboard-township") + f"?township={t1.pk}").status_code == 200


@pytest.mark.parametrize("size", [1, 3])
def test_cadre_pages_query_counts_do_not_grow(client, people, directory, next_monday, size,
                                              django_assert_max_num_queries):
    t1 = directory["t1"]
    populate(t1, villages=2 * size, cadres_per_village=2 * size)
    for k in range(size * 2):
        monday = next_monday + timedelta(days=7 * k)
        roster_plan(township=t1, week_start=monday)
        roster_publish(week=RosterWeek.objects.get(township=t1, week_start=monday))
    login(client, "cadre1")
    for name in ("roster-mine", "leave-list", "swap-list"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(f"residency:{name}")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("home")).status_code == 200


def test_every_roster_page_renders_for_its_roles(client, people, directory, staffed, next_monday):
    t1 = directory["t1"]
    roster_plan(township=t1, week_start=next_monday)
    stay = Stay.objects.filter(village__township=t1).first()
    pages = {
        "tadmin": [week_url(t1, next_monday), week_url(t1, next_monday, "roster-print"),
                   week_url(t1, next_monday, "stay-assign"),
                   reverse("residency:stay-detail", args=[stay.pk]),
                   reverse("residency:leave-list"), reverse("residency:swap-list"),
                   reverse("residency:spotcheck-list"), reverse("residency:spotcheck-create"),
                   reverse("residency:dashboard-township"), reverse("home")],
        "org": [reverse("residency:dashboard-county"), reverse("residency:workday-list"),
                reverse("residency:spotcheck-list"), reverse("home")],
        "prov": [reverse("residency:dashboard-county"), reverse("home")],
        "insp": [reverse("residency:spotcheck-create"), reverse("residency:spotcheck-list"), reverse("home")],
        "cadre1": [reverse("residency:roster-mine"), reverse("residency:leave-create"),
                   reverse("residency:roster-calendar"), reverse("home")],
    }
    for username, urls in pages.items():
        client.logout()
        login(client, username)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)


@pytest.mark.parametrize("size", [1, 3])
def test_every_other_roster_page_has_a_pinned_query_count(client, people, directory, next_monday, size,
                                                          django_assert_max_num_queries):
    from residency.models import CalendarFeed, Leave, SpotCheck, Swap

    t1 = directory["t1"]
    made = populate(t1, villages=2 * size, cadres_per_village=3 * size)
    roster_plan(township=t1, week_start=next_monday)
    roster_publish(week=RosterWeek.objects.get(township=t1, week_start=next_monday))
    stays = list(Stay.objects.filter(village__township=t1).order_by("pk"))
    for village, cadres in made:
        for c in cadres:
            Leave.objects.create(cadre=c, kind="sick", start=next_monday + timedelta(days=20),
                                 end=next_monday + timedelta(days=21))
        SpotCheck.objects.create(village=village, at=timezone.now(), night=timezone.localdate(),
                                 expected_cadre=cadres[0], present=True, inspector=people["inspector"])
    for a, b in zip(stays[::2], stays[1::2], strict=False):
        if a.cadre_id != b.cadre_id:
            Swap.objects.create(stay=a, requested_by_id=a.cadre_id, colleague_id=b.cadre_id)
    feed = CalendarFeed.objects.create(cadre=people["cadre"], token="k" * 43)
    week = format_week(next_monday)
    admin_pages = [reverse("residency:leave-list"), reverse("residency:swap-list"),
                   reverse("residency:spotcheck-list"),
                   reverse("residency:roster-print", args=[t1.pk, week]),
                   reverse("residency:roster-xlsx", args=[t1.pk, week]),
                   reverse("residency:stay-assign", args=[t1.pk, week]),
                   reverse("residency:stay-detail", args=[stays[0].pk]),
                   reverse("residency:stay-delete", args=[stays[0].pk])]
    login(client, "tadmin")
    for url in admin_pages:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url
    client.logout()
    login(client, "org")
    for url in (reverse("residency:workday-list"), reverse("residency:spotcheck-list")):
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200
    client.logout()
    with django_assert_max_num_queries(3):
        assert client.get(reverse("residency:roster-ics", args=[feed.token])).status_code == 200


def test_county_dashboard_counts_the_year_from_the_first_published_week(client, people, directory):
    t1 = directory["t1"]
    populate(t1, villages=1, cadres_per_village=5)
    this_monday = monday_of(timezone.localdate())
    roster_plan(township=t1, week_start=this_monday, today=this_monday)
    roster_publish(week=RosterWeek.objects.get(township=t1, week_start=this_monday))
    login(client, "org")
    response = client.get(reverse("residency:dashboard-county"))
    row = next(r for r in response.context["rows"] if r["township"].pk == t1.pk)
    start = max(this_monday, date(timezone.localdate().year, 1, 1))
    assert response.context["year_start"] == start
    from residency.nights.workdays import is_workday

    today = timezone.localdate()
    nights = sum(is_workday(start + timedelta(days=i)) for i in range((today - start).days + 1))
    assert row["year"]["total"] == nights * row["year"]["villages"]  # nothing counted before the roster


def test_the_grid_marks_a_past_night_with_no_check_in_as_missed_not_as_planned(client, people, directory):
    from tests.residency.roster.factories import make_stay, make_week

    d = directory
    last_monday = monday_of(timezone.localdate()) - timedelta(days=7)
    week = make_week(d["t1"], last_monday, published=True)
    missed = make_stay(week, people["cadre"], d["v11"], last_monday)
    kept = make_stay(week, people["cadre_other"], d["v12"], last_monday,
                     checked_in_at=timezone.now() - timedelta(days=7))
    login(client, "tadmin")
    html = client.get(week_url(d["t1"], last_monday)).content.decode()
    cell = html.split(f'data-testid="cell-{missed.village_id}-{last_monday:%Y-%m-%d}"')[0].rsplit("<td", 1)[1]
    assert "cell-missed" in cell and "table-warning" in cell
    other = html.split(f'data-testid="cell-{kept.village_id}-{last_monday:%Y-%m-%d}"')[0].rsplit("<td", 1)[1]
    assert "cell-checked_in" in other
    assert f'data-testid="missed-{missed.pk}"' in html and f'data-testid="missed-{kept.pk}"' not in html


def test_replanning_a_planned_week_asks_for_confirmation_first(client, people, directory, staffed, next_monday):
    t1 = directory["t1"]
    login(client, "tadmin")
    first = client.get(week_url(t1, next_monday)).content.decode()
    assert "自动排班" in first and 'data-testid="replan-form"' not in first
    roster_plan(township=t1, week_start=next_monday)
    draft = client.get(week_url(t1, next_monday)).content.decode()
    assert 'data-testid="replan-form"' in draft and "确定重新排班?" in draft
    roster_publish(week=RosterWeek.objects.get(township=t1, week_start=next_monday))
    published = client.get(week_url(t1, next_monday)).content.decode()
    assert "本周已发布: 重新排班会调整今后未锁定的住夜并通知相关干部" in published


def test_a_past_night_of_a_draft_week_is_not_marked_missed(client, people, directory):
    from tests.residency.roster.factories import make_stay, make_week

    d = directory
    last_monday = monday_of(timezone.localdate()) - timedelta(days=7)
    week = make_week(d["t1"], last_monday, published=False)
    stay = make_stay(week, people["cadre"], d["v11"], last_monday)
    login(client, "tadmin")
    html = client.get(week_url(d["t1"], last_monday)).content.decode()
    assert f'data-testid="missed-{stay.pk}"' not in html and "cell-planned" in html
