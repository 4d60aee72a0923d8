"""The planning service around the pure planner: input from the database, atomic writes,
gaps with reasons, holidays, make-up workdays, leave, pinned and past stays."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from residency.models import RosterWeek, Stay
from residency.roster.services import roster_plan, roster_publish
from residency.roster.services.calendar import workday_override_set
from tests.residency.factories import make_cadre
from tests.residency.roster.factories import make_leave

EARLY = date(2026, 1, 1)  # "today" before the weeks planned here: no night is past yet


@pytest.fixture
def t1(directory):
    d = directory
    cadres = {
        "v11": [make_cadre(d["v11"], username=f"e{i}") for i in range(4)],
        "v12": [make_cadre(d["v12"], username=f"w{i}") for i in range(3)],
    }
    return d, cadres


def _nights(week_start):
    return sorted(set(Stay.objects.filter(week__week_start=week_start).values_list("night", flat=True)))


def test_every_workday_night_of_every_village_gets_a_cadre(t1):
    d, cadres = t1
    monday = date(2026, 3, 2)
    summary = roster_plan(township=d["t1"], week_start=monday, today=EARLY)
    assert summary.gaps == []
    for v in (d["v11"], d["v12"]):
        covered = set(Stay.objects.filter(village=v).values_list("night", flat=True))
        assert covered == {monday + timedelta(days=i) for i in range(5)}
    counts = {}
    for cid in Stay.objects.values_list("cadre_id", flat=True):
        counts[cid] = counts.get(cid, 0) + 1
    assert all(1 <= n <= 2 for n in counts.values())
    assert len(counts) == 7


def test_spring_festival_2026_week_plans_no_stay_and_the_make_up_saturday_is_covered(t1):
    d, _ = t1
    roster_plan(township=d["t1"], week_start=date(2026, 2, 16), today=EARLY)  # W08: holiday
    assert _nights(date(2026, 2, 16)) == []
    roster_plan(township=d["t1"], week_start=date(2026, 2, 9), today=EARLY)  # W07: + Sat 14th
    assert _nights(date(2026, 2, 9)) == [date(2026, 2, 9) + timedelta(days=i) for i in range(6)]


def test_national_day_week_2026_covers_only_the_make_up_saturday(t1):
    d, _ = t1
    roster_plan(township=d["t1"], week_start=date(2026, 10, 5), today=EARLY)
    # Oct 1-7 are holidays, Sat Oct 10 is a make-up workday; Oct 8-9 are ordinary workdays.
    assert _nights(date(2026, 10, 5)) == [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]


def test_a_county_override_adds_a_typhoon_night_and_removes_a_local_holiday(t1):
    d, _ = t1
    workday_override_set(county=d["county"], day=date(2026, 3, 7), is_workday=True, reason="台风")
    workday_override_set(county=d["county"], day=date(2026, 3, 3), is_workday=False, reason="本地节日")
    roster_plan(township=d["t1"], week_start=date(2026, 3, 2), today=EARLY)
    assert _nights(date(2026, 3, 2)) == [date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 5),
                                         date(2026, 3, 6), date(2026, 3, 7)]


def test_2027_falls_back_to_monday_to_friday_without_crashing(t1):
    d, _ = t1
    summary = roster_plan(township=d["t1"], week_start=date(2027, 3, 1), today=EARLY)
    assert summary.gaps == []
    assert _nights(date(2027, 3, 1)) == [date(2027, 3, 1) + timedelta(days=i) for i in range(5)]


def test_approved_leave_is_never_planned_over(t1):
    d, cadres = t1
    on_leave = cadres["v11"][0]
    make_leave(on_leave, date(2026, 3, 2), date(2026, 3, 4))
    roster_plan(township=d["t1"], week_start=date(2026, 3, 2), today=EARLY)
    nights = set(Stay.objects.filter(cadre=on_leave).values_list("night", flat=True))
    assert nights and not nights & {date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)}


def test_a_cadre_on_leave_all_week_needs_no_stay(t1):
    d, cadres = t1
    away = cadres["v11"][1]
    make_leave(away, date(2026, 3, 2), date(2026, 3, 8))
    roster_plan(township=d["t1"], week_start=date(2026, 3, 2), today=EARLY)
    assert not Stay.objects.filter(cadre=away).exists()


def test_too_few_cadres_leaves_a_gap_with_the_reason_in_chinese(directory):
    d = directory
    make_cadre(d["v21"], username="lonely")
    summary = roster_plan(township=d["t2"], week_start=date(2026, 3, 2), today=EARLY)
    assert len(summary.gaps) == 3
    week = RosterWeek.objects.get(township=d["t2"], week_start=date(2026, 3, 2))
    assert week.gaps == summary.gaps
    assert "南社区" in week.gaps[0]["reason"] and "1 名可用干部" in week.gaps[0]["reason"]


def test_borrowing_happens_only_when_a_village_cannot_cover_itself(t1):
    d, cadres = t1
    # v12 keeps one cadre: 5 nights, 2 max -> 3 nights must be borrowed from v11 (4 cadres).
    for c in cadres["v12"][1:]:
        make_leave(c, date(2026, 3, 2), date(2026, 3, 8))
    summary = roster_plan(township=d["t1"], week_start=date(2026, 3, 2), today=EARLY)
    assert summary.gaps == []
    borrowed = Stay.objects.filter(borrowed=True)
    assert borrowed.count() == 3
    assert set(borrowed.values_list("village_id", flat=True)) == {d["v12"].pk}


def test_pinned_and_past_stays_never_change_on_replanning(t1):
    d, cadres = t1
    monday = date(2026, 3, 2)
    roster_plan(township=d["t1"], week_start=monday, today=EARLY)
    first = Stay.objects.filter(village=d["v11"]).order_by("night")
    past = first[0]
    pinned = first[3]
    Stay.objects.filter(pk=pinned.pk).update(pinned=True)
    before = {(s.pk, s.cadre_id, s.night) for s in (past, pinned)}
    roster_plan(township=d["t1"], week_start=monday, today=monday + timedelta(days=1))
    after = {(s.pk, s.cadre_id, s.night) for s in Stay.objects.filter(pk__in=[past.pk, pinned.pk])}
    assert after == before


def test_replanning_a_published_week_changes_nothing_when_nothing_changed(t1):
    d, _ = t1
    monday = date(2026, 3, 2)
    roster_plan(township=d["t1"], week_start=monday, today=EARLY)
    roster_publish(week=RosterWeek.objects.get(week_start=monday, township=d["t1"]))
    before = set(Stay.objects.values_list("pk", "cadre_id", "village_id", "night"))
    summary = roster_plan(township=d["t1"], week_start=monday, today=EARLY)
    assert (summary.created, summary.updated, summary.deleted) == (0, 0, 0)
    assert set(Stay.objects.values_list("pk", "cadre_id", "village_id", "night")) == before


def test_fairness_reads_heavy_nights_already_had_this_year(t1):
    d, cadres = t1
    monday = date(2026, 3, 9)
    from tests.residency.roster.factories import make_stay, make_week

    week = make_week(d["t1"], date(2026, 3, 2), published=True)
    veteran = cadres["v11"][0]
    make_stay(week, veteran, d["v11"], date(2026, 3, 6))  # a Friday already this year
    roster_plan(township=d["t1"], week_start=monday, today=EARLY)
    friday = Stay.objects.get(village=d["v11"], night=date(2026, 3, 13))
    assert friday.cadre_id != veteran.pk


def test_publishing_twice_or_publishing_an_empty_week_is_refused(t1):
    from django.core.exceptions import ValidationError

    d, _ = t1
    week = RosterWeek.objects.create(township=d["t1"], week_start=date(2026, 3, 2))
    with pytest.raises(ValidationError, match="请先排班"):
        roster_publish(week=week)
    roster_plan(township=d["t1"], week_start=date(2026, 3, 2), today=EARLY)
    roster_publish(week=week)
    with pytest.raises(ValidationError, match="已经发布"):
        roster_publish(week=week)


def test_the_village_office_beds_limit_each_night_and_crowded_nights_carry_the_reason(directory):
    d = directory
    v11 = d["v11"]
    v11.beds = 1
    v11.save(update_fields=["beds"])
    for i in range(6):  # 6 cadres, 5 nights, 1 bed: one night must take two
        make_cadre(v11, username=f"b{i}")
    for i in range(5):  # 西村 covers itself: nobody is lent
        make_cadre(d["v12"], username=f"w{i}")
    monday = date(2026, 3, 2)
    summary = roster_plan(township=d["t1"], week_start=monday, today=EARLY)
    per_night: dict = {}
    for night in Stay.objects.filter(village=v11).values_list("night", flat=True):
        per_night[night] = per_night.get(night, 0) + 1
    assert sorted(per_night.values()) == [1, 1, 1, 1, 2]
    assert summary.gaps == []
    (crowded,) = summary.crowded
    assert (crowded["village"], crowded["cadres"], crowded["beds"]) == (v11.name, 2, 1)
    assert crowded["night"] == max(per_night, key=per_night.get).isoformat()
    assert "村部只有 1 个床位" in crowded["reason"]
    assert "本村 6 名干部每人每周至少住 1 晚" in crowded["reason"]


def test_with_the_default_two_beds_extra_cadres_are_spread_over_the_week(directory):
    d = directory
    for i in range(9):
        make_cadre(d["v11"], username=f"n{i}")
    for i in range(5):
        make_cadre(d["v12"], username=f"w{i}")
    summary = roster_plan(township=d["t1"], week_start=date(2026, 3, 9), today=EARLY)
    per_night: dict = {}
    for night in Stay.objects.filter(village=d["v11"]).values_list("night", flat=True):
        per_night[night] = per_night.get(night, 0) + 1
    assert sorted(per_night.values()) == [1, 2, 2, 2, 2]
    assert summary.crowded == []
