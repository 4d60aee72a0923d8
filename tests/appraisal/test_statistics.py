"""The monthly and yearly statistics, against data counted by hand (docs/STATISTICS.md).

March 2026 has 22 statutory workdays (2-6, 9-13, 16-20, 23-27, 30-31); the county makes
Saturday 7 March a workday too, so every village must be covered on 23 nights."""
from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from appraisal.statistics import Period, PeriodError, village_statistics, week_label
from nightlog.models import Consultation, OnSiteOffice
from residency.models import AuditLog, WorkdayOverride
from tests.appraisal.factories import make_meeting, make_stay
from tests.nightlog.factories import make_problem, make_visit
from tests.residency.factories import make_cadre, make_household

TZ = ZoneInfo("Asia/Shanghai")
AFTER_MARCH = datetime(2026, 4, 15, 12, 0, tzinfo=TZ)
MARCH = Period(2026, 3)
HEADERS = ["镇(街道)", "村(社区)", "应住夜数", "已住夜数", "签到率", "走访户次", "必访户覆盖率",
           "问题数", "已办结", "现场办公办结", "集中恳谈次数", "述职评议大会"]

pytestmark = pytest.mark.django_db


def at(day: int, hh: int = 20, mm: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hh, mm, tzinfo=TZ)


def _office(problem, day):
    return OnSiteOffice.objects.create(problem=problem, held_on=day, place="村部",
                                       attendees="镇农办、村书记", outcome="当场解决")


@pytest.fixture
def march(people, directory, households):
    d, cadre, other = directory, people["cadre"], people["cadre_other"]
    WorkdayOverride.objects.create(county=d["county"], date=date(2026, 3, 7), is_workday=True,
                                   reason="防汛")
    second = make_cadre(d["v11"], username="cadre1b")
    # 东村: nights 2 (two cadres, one checked in), 3 (no check-in), 7 (the made-up workday).
    make_stay(cadre, d["v11"], date(2026, 3, 2), checked_in=True)
    make_stay(second, d["v11"], date(2026, 3, 2))
    make_stay(cadre, d["v11"], date(2026, 3, 3))
    make_stay(second, d["v11"], date(2026, 3, 7), checked_in=True)
    # 西村: night 4 checked in; Sunday 8 is no workday; week of 9 March is still a draft.
    make_stay(other, d["v12"], date(2026, 3, 4), checked_in=True)
    make_stay(other, d["v12"], date(2026, 3, 8), checked_in=True)
    make_stay(other, d["v12"], date(2026, 3, 10), checked_in=True, published=False)
    # Visits: 东村's hardship household three times in March (one at 23:30 on the 31st),
    # once on 28 February and once just after midnight on 1 April; 西村's plain household once.
    h11, h12 = households["h11"], households["h12"]
    h11b = make_household(d["v11"], head="钱二", categories=["key_person", "large_farm"])
    for when in (at(5), at(20), at(31, 23, 30), at(28, month=2), at(1, 0, 10, month=4)):
        make_visit(cadre, h11, visited_at=when)
    make_visit(other, h12, visited_at=at(6))
    make_visit(people["cadre_far"], households["h31"], visited_at=at(6))  # another county
    # Problems of 东村: one raised in March and open; one raised in February, resolved in
    # March after a recorded 现场办公; one raised and resolved in March, no 现场办公.
    visit = make_visit(cadre, h11, visited_at=at(28, month=2))
    make_problem(visit, created_at=at(5))
    solved_on_site = make_problem(visit, created_at=at(20, month=2), status="resolved",
                                  resolved_at=at(10))
    _office(solved_on_site, date(2026, 3, 10))
    make_problem(visit, created_at=at(6), status="confirmed", resolved_at=at(8))
    Consultation.objects.create(village=d["v11"], convened_by=cadre, held_on=date(2026, 3, 12),
                                mode="up", topics="道路")
    Consultation.objects.create(village=d["v12"], convened_by=other, held_on=date(2026, 4, 2),
                                mode="up", topics="垃圾")
    make_meeting(d["v12"], held_on=date(2026, 3, 20))
    make_meeting(d["v11"], held_on=date(2026, 4, 10))
    return {"h11b": h11b}


def _rows(stats):
    return {r.village: r for r in stats.rows}


def test_the_period_is_a_month_or_a_year_and_anything_else_is_refused():
    assert (Period.parse("2026-11").start, Period.parse("2026-11").end) == (date(2026, 11, 1),
                                                                           date(2026, 11, 30))
    assert (Period.parse("2026").start, Period.parse("2026").end) == (date(2026, 1, 1),
                                                                     date(2026, 12, 31))
    assert Period.parse("2026-12").next().code == "2027-01"
    for bad in ("2026-13", "26-11", "", "2026/11", "1999", "２０２６"):
        with pytest.raises(PeriodError):
            Period.parse(bad)


def test_a_week_label_names_the_dates_it_covers_inside_the_period():
    assert week_label(date(2026, 11, 30), date(2026, 11, 1), date(2026, 11, 30)) == "11-30–11-30"
    assert week_label(date(2026, 11, 2), date(2026, 11, 1), date(2026, 11, 30)) == "11-02–11-08"


def test_nights_required_are_workday_nights_and_stayed_are_nights_with_a_published_stay(
        march, directory):
    rows = _rows(village_statistics(township_ids=[directory["t1"].pk], period=MARCH,
                                    now=AFTER_MARCH))
    east, west = rows["东村"], rows["西村"]
    assert (east.nights_required, east.nights_stayed, east.nights_checked) == (23, 3, 2)
    assert east.checkin_rate == pytest.approx(2 / 3)
    # 西村: the Sunday and the draft week do not count.
    assert (west.nights_required, west.nights_stayed, west.nights_checked) == (23, 1, 1)


def test_visits_must_visit_coverage_problems_consultations_and_the_meeting(march, directory):
    stats = village_statistics(township_ids=[directory["t1"].pk], period=MARCH, now=AFTER_MARCH)
    east, west = _rows(stats)["东村"], _rows(stats)["西村"]
    assert (east.visits, west.visits) == (3, 1)
    assert (east.must_households, east.must_visited, east.must_visit_rate) == (2, 1, 0.5)
    assert west.must_visit_rate is None  # no must-visit household: no rate, not 0%
    assert (east.problems, east.resolved, east.on_site_resolved) == (2, 2, 1)
    assert (east.consultations, west.consultations) == (1, 0)
    assert (east.meeting_held, west.meeting_held) == (False, True)
    total = stats.total
    assert (total.nights_required, total.nights_stayed, total.visits, total.problems,
            total.meetings) == (46, 4, 4, 2, 1)


def test_a_year_counts_the_meeting_held_in_it_and_nights_only_up_to_the_last_begun_night(
        march, directory):
    before_dusk = datetime(2026, 3, 4, 16, 0, tzinfo=TZ)  # the night of 4 March has not begun
    stats = village_statistics(township_ids=[directory["t1"].pk], period=Period(2026),
                               now=before_dusk)
    east = _rows(stats)["东村"]
    # Statutory workdays: January 21 (1-3 New Year, Sunday 4 made up), February 16 (Spring
    # Festival 15-23, Saturdays 14 and 28 made up).
    january_february = 21 + 16
    assert east.nights_required == january_february + 2  # 2 and 3 March
    assert stats.until == date(2026, 3, 3)
    late = village_statistics(township_ids=[directory["t1"].pk], period=Period(2026),
                              now=datetime(2026, 12, 1, 18, 0, tzinfo=TZ))
    assert all(r.meeting_held for r in late.rows)


def test_chart_series_cover_weeks_categories_states_and_meetings(march, directory):
    stats = village_statistics(township_ids=[directory["t1"].pk], period=MARCH, now=AFTER_MARCH)
    chart = stats.chart_data()
    # Sunday 1 March is a week of its own with no workday: shown, with no coverage.
    assert chart["weeks"][:2] == ["03-01–03-01", "03-02–03-08"]
    assert chart["weeks"][-1] == "03-30–03-31" and chart["coverage"][0] is None
    assert chart["coverage"][1] == pytest.approx(100 * 4 / 12, abs=0.1)  # 6 nights x 2 villages
    categories = dict(zip(chart["category_labels"], chart["category_counts"], strict=True))
    assert categories["困难户"] == 3 and categories["其他农户"] == 1 and categories["重点人员户"] == 0
    states = dict(zip(chart["state_labels"], chart["state_counts"], strict=True))
    assert (states["已提出"], states["群众已确认"]) == (1, 1)
    assert chart["meeting_counts"] == [1, 1]


def test_the_cost_does_not_grow_with_the_data(march, directory, people,
                                              django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as small:
        village_statistics(township_ids=[directory["t1"].pk], period=MARCH, now=AFTER_MARCH)
    for i in range(5):
        village = directory["v12"].township.villages.create(code=f"9{i}", name=f"新村{i}")
        cadre = make_cadre(village, username=f"more{i}")
        household = make_household(village, head=f"户{i}", categories=["hardship"])
        for day in (2, 3, 4):
            make_stay(cadre, village, date(2026, 3, day), checked_in=True)
            make_visit(cadre, household, visited_at=at(day))
    with django_assert_max_num_queries(len(small.captured_queries)):
        stats = village_statistics(township_ids=[directory["t1"].pk], period=MARCH,
                                   now=AFTER_MARCH)
    assert len(stats.rows) == 7


# --- the command: same figures, the same totals as export_visits and export_roster ---------


@pytest.fixture
def published_march(people, directory, households):
    """Only published weeks (export_roster lists drafts too), visits in two townships."""
    d = directory
    for cadre, village, days in ((people["cadre"], d["v11"], (2, 3, 9)),
                                 (people["cadre_other"], d["v12"], (2, 16, 31))):
        for day in days:
            make_stay(cadre, village, date(2026, 3, day), checked_in=day != 3)
    south = make_cadre(d["v21"], username="south")
    make_stay(south, d["v21"], date(2026, 3, 5), checked_in=True)
    make_visit(people["cadre"], households["h11"], visited_at=at(5))
    make_visit(people["cadre"], households["h11"], visited_at=at(31, 23, 0))
    make_visit(south, make_household(d["v21"], head="孙三"), visited_at=at(9))
    return d


def _sheet(path):
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return wb, ws, rows


def test_export_statistics_writes_the_village_sheet_with_exactly_these_headers(
        published_march, tmp_path):
    out = tmp_path / "s.xlsx"
    call_command("export_statistics", "--period", "2026-03", "--out", str(out),
                 "--township", "001", "--county", "330483")
    wb, ws, rows = _sheet(out)
    assert ws.title == "村(社区)统计" and list(rows[0]) == HEADERS
    assert [r[1] for r in rows[1:]] == ["东村", "西村", None] and rows[-1][0] == "合计"
    east = dict(zip(HEADERS, rows[1], strict=True))
    assert (east["应住夜数"], east["已住夜数"], east["走访户次"]) == (22, 3, 2)
    assert east["签到率"] == pytest.approx(2 / 3) and ws["E2"].number_format == "0.0%"
    assert east["述职评议大会"] == "否"
    assert ws.freeze_panes == "A2" and ws.page_setup.orientation == "landscape"
    assert wb.sheetnames[1] == "镇(街道)汇总"
    assert AuditLog.objects.filter(action="export_statistics_command").exists()


def test_export_totals_match_export_visits_and_export_roster_for_the_same_period(
        published_march, tmp_path):
    from residency.nights import workdays

    out = tmp_path / "s.xlsx"
    call_command("export_statistics", "--period", "2026-03", "--out", str(out))
    _wb, _ws, rows = _sheet(out)
    total = dict(zip(HEADERS, rows[-1], strict=True))
    visits = tmp_path / "visits.csv"
    call_command("export_visits", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(visits))
    with visits.open(encoding="utf-8") as fh:
        assert total["走访户次"] == len(list(csv.DictReader(fh))) == 3
    nights = set()
    monday = date(2026, 2, 23)
    while monday <= date(2026, 3, 31):
        roster = tmp_path / f"roster-{monday}.csv"
        iso = monday.isocalendar()
        call_command("export_roster", "--week", f"{iso[0]}-W{iso[1]:02d}", "--out", str(roster))
        with roster.open(encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                day = date.fromisoformat(row["date"])
                if row["status"] == "stay" and day.month == 3 and workdays.is_workday(day):
                    nights.add((row["township"], row["village"], day))
        monday += timedelta(days=7)
    assert total["已住夜数"] == len(nights) == 7


def test_export_statistics_refuses_a_bad_period_an_unknown_township_and_an_ambiguous_code(
        directory, tmp_path):
    out = str(tmp_path / "s.xlsx")
    with pytest.raises(CommandError, match="统计期间"):
        call_command("export_statistics", "--period", "2026-13", "--out", out)
    with pytest.raises(CommandError, match="no township"):
        call_command("export_statistics", "--period", "2026", "--out", out, "--township", "999")
    with pytest.raises(CommandError, match="--county"):
        call_command("export_statistics", "--period", "2026", "--out", out, "--township", "001")
