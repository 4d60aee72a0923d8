"""Commands (plan_roster, export_roster with exactly its columns), the per-township task,
the xlsx export (audited), the printable roster, the private iCalendar feed, and the
workday override page with the warning for years the calendar package does not cover."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from residency.models import AuditLog, CalendarFeed, RosterWeek, Stay, WorkdayOverride
from residency.nights.isoweek import format_week, monday_of
from residency.roster.services import calendar_warning, roster_plan, roster_publish
from residency.tasks import plan_township_week
from tests.residency.factories import make_cadre
from tests.residency.roster.factories import make_leave, make_stay, make_week

MONDAY = date(2026, 3, 2)


def test_export_roster_writes_exactly_the_documented_columns_and_rows(people, directory, tmp_path):
    d = directory
    week = make_week(d["t1"], MONDAY)
    make_stay(week, people["cadre"], d["v11"], MONDAY)
    make_stay(week, people["cadre"], d["v12"], MONDAY + timedelta(days=3), borrowed=True)
    make_leave(people["cadre_other"], MONDAY + timedelta(days=5), MONDAY + timedelta(days=9))
    out = tmp_path / "roster.csv"
    call_command("export_roster", "--week", "2026-W10", "--out", str(out), stdout=io.StringIO())
    assert out.read_text(encoding="utf-8") == (
        "date,township,village,cadre,station_village,status,borrowed\n"
        "2026-03-02,甲镇,东村,cadre1,东村,stay,0\n"
        "2026-03-05,甲镇,西村,cadre1,东村,stay,1\n"
        "2026-03-07,甲镇,西村,cadre2,西村,leave,0\n"
        "2026-03-08,甲镇,西村,cadre2,西村,leave,0\n"
    )
    assert AuditLog.objects.filter(action="roster_export_csv").exists()


@pytest.mark.parametrize("week", ["2026-10", "2026-W54", "W10", ""])
def test_commands_give_a_clear_error_for_a_bad_week(week, db):
    with pytest.raises(CommandError, match="周"):
        call_command("export_roster", "--week", week, "--out", "-")
    with pytest.raises(CommandError, match="周"):
        call_command("plan_roster", "--week", week)


def test_plan_roster_plans_every_township_and_prints_what_it_could_not_cover(people, directory):
    out = io.StringIO()
    call_command("plan_roster", "--week", "2027-W10", stdout=out)
    text = out.getvalue()
    assert "甲镇" in text and "乙街道" in text and "外镇" in text
    assert "未覆盖" in text  # one cadre per village cannot cover five nights
    assert Stay.objects.filter(village=directory["v11"]).count() == 2


def test_plan_roster_for_one_township_async_runs_the_task_eagerly(people, directory):
    out = io.StringIO()
    call_command("plan_roster", "--week", "2027-W10", "--township", "002", "--county", "330483",
                 "--async", stdout=out)
    assert "已提交 1 个排班任务" in out.getvalue()
    assert not Stay.objects.filter(village__township=directory["t1"]).exists()


def test_the_planning_task_takes_ids_and_is_idempotent(people, directory):
    make_cadre(directory["v11"], username="extra")
    first = plan_township_week(directory["t1"].pk, "2027-03-01")
    before = set(Stay.objects.values_list("pk", "cadre_id", "night"))
    second = plan_township_week(directory["t1"].pk, "2027-03-01")
    assert first["created"] > 0 and (second["created"], second["deleted"]) == (0, 0)
    assert set(Stay.objects.values_list("pk", "cadre_id", "night")) == before


@pytest.fixture
def published(people, directory):
    d = directory
    for i in range(3):
        make_cadre(d["v11"], username=f"e{i}")
    monday = monday_of(timezone.localdate())
    roster_plan(township=d["t1"], week_start=monday, today=monday)
    roster_publish(week=RosterWeek.objects.get(township=d["t1"], week_start=monday))
    return monday


def test_the_week_xlsx_is_a_workbook_and_the_export_is_audited(client, people, directory, published):
    from openpyxl import load_workbook

    client.force_login(people["township_admin"])
    response = client.get(reverse("residency:roster-xlsx", args=[directory["t1"].pk, format_week(published)]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[2][0] == "东村" and any(rows[2][1:])
    assert AuditLog.objects.filter(action="roster_export_xlsx").exists()
    ws = wb.active  # a sheet for people: title and header repeat on each printed page
    assert rows[1][0] == "村(社区)" and ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2" and ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["A"].width == 16


def test_the_printable_roster_shows_one_page_per_village(client, people, directory, published):
    client.force_login(people["township_admin"])
    url = reverse("residency:roster-print", args=[directory["t1"].pk, format_week(published)])
    page = client.get(url).content.decode()
    assert page.count('data-testid="print-village"') == 2 and "@media print" in page
    one = client.get(url + f"?village={directory['v11'].pk}").content.decode()
    assert one.count('data-testid="print-village"') == 1


def test_the_printable_roster_writes_dates_the_chinese_way_without_leading_zeros(client, people, directory):
    client.force_login(people["township_admin"])
    url = reverse("residency:roster-print", args=[directory["t1"].pk, "2027-W09"])  # Monday 2027-03-01
    page = client.get(url).content.decode()
    assert "3月1日" in page and "3月7日" in page
    assert "03月01日" not in page


def test_the_printable_roster_answers_404_for_a_village_that_is_not_a_number(client, people, directory,
                                                                             published):
    client.force_login(people["township_admin"])
    url = reverse("residency:roster-print", args=[directory["t1"].pk, format_week(published)])
    assert client.get(url + "?village=abc").status_code == 404


def test_the_ics_feed_needs_no_login_but_an_unguessable_token_and_can_be_revoked(client, people, published):
    cadre = people["cadre"]
    client.force_login(cadre.user)
    assert client.get(reverse("residency:roster-calendar")).status_code == 200
    feed = CalendarFeed.objects.get(cadre=cadre)
    assert len(feed.token) >= 40
    client.logout()
    url = reverse("residency:roster-ics", args=[feed.token])
    response = client.get(url)
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == Stay.objects.filter(
        cadre=cadre).count()
    assert client.get(reverse("residency:roster-ics", args=["x" * 43])).status_code == 404
    client.force_login(cadre.user)
    client.post(reverse("residency:roster-calendar"))
    client.logout()
    assert client.get(url).status_code == 404


def test_the_ics_feed_never_shows_drafts(client, people, directory):
    d = directory
    week = make_week(d["t1"], date(2030, 1, 7))
    make_stay(week, people["cadre"], d["v11"], date(2030, 1, 7))
    feed = CalendarFeed.objects.create(cadre=people["cadre"], token="t" * 43)
    body = client.get(reverse("residency:roster-ics", args=[feed.token])).content.decode()
    assert "BEGIN:VEVENT" not in body


def test_the_calendar_warning_names_years_the_package_does_not_cover():
    assert calendar_warning(years={2026}) == ""
    assert "2027" in calendar_warning(years={2026, 2027})


def test_org_department_overrides_a_date_and_sees_the_warning_for_2027(client, people, directory):
    client.force_login(people["org_department"])
    page = client.get(reverse("residency:workday-list") + "?year=2027").content.decode()
    assert 'data-testid="calendar-warning"' in page and "2027" in page
    response = client.post(reverse("residency:workday-list"), {
        "date": "2027-02-08", "is_workday": "", "reason": "春节 (县定)"})
    assert response.status_code == 302
    override = WorkdayOverride.objects.get(county=directory["county"])
    assert (override.date, override.is_workday) == (date(2027, 2, 8), False)
    bad = client.post(reverse("residency:workday-list"), {"date": "not-a-date", "reason": ""})
    assert bad.status_code == 400 and WorkdayOverride.objects.count() == 1
    client.post(reverse("residency:workday-delete", args=[override.pk]))
    assert not WorkdayOverride.objects.exists()


def test_township_admin_cannot_change_the_county_calendar(client, people):
    client.force_login(people["township_admin"])
    assert client.get(reverse("residency:workday-list")).status_code == 403


def test_the_week_grid_warns_about_2027(client, people, directory):
    client.force_login(people["township_admin"])
    page = client.get(reverse("residency:roster-week", args=[directory["t1"].pk, "2027-W10"])).content.decode()
    assert 'data-testid="calendar-warning"' in page


def test_the_admin_workday_override_list_warns_about_uncovered_years(client, people):
    client.force_login(people["system_admin"])
    response = client.get(reverse("admin:residency_workdayoverride_changelist"), follow=True)
    assert response.status_code == 200
    assert str(timezone.localdate().year + 1) in response.content.decode()
