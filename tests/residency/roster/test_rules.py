"""The admin's edits obey rule R1 and refuse with the reason in Chinese: no double
booking, no leave, at most two nights, no past nights, no uncovering a workday night,
at least one night; swaps and moves; events for published weeks."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from residency import events
from residency.models import RosterWeek, Stay
from residency.roster.services import (
    roster_plan,
    roster_publish,
    stay_assign,
    stay_delete,
    stay_move,
    stay_pin,
    stay_swap,
)
from tests.residency.factories import make_cadre
from tests.residency.roster.factories import make_leave, make_stay, make_week

MONDAY = date(2026, 3, 2)
EARLY = date(2026, 1, 1)


@pytest.fixture
def week(directory):
    d = directory
    cadres = [make_cadre(d["v11"], username=f"c{i}", name=f"干部{i}") for i in range(4)]
    far = make_cadre(d["v21"], username="far", name="乙镇干部")
    return {"week": make_week(d["t1"], MONDAY), "cadres": cadres, "far": far, **d}


def test_a_cadre_cannot_be_booked_twice_on_one_night(week):
    w, (a, *_rest) = week["week"], week["cadres"]
    stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY, today=EARLY)
    with pytest.raises(ValidationError, match="同一晚不能住两处"):
        stay_assign(week=w, cadre=a, village=week["v12"], night=MONDAY, today=EARLY)


def test_a_cadre_on_leave_cannot_be_assigned(week):
    a = week["cadres"][0]
    make_leave(a, MONDAY, MONDAY)
    with pytest.raises(ValidationError, match="已请假"):
        stay_assign(week=week["week"], cadre=a, village=week["v11"], night=MONDAY, today=EARLY)


def test_at_most_two_nights_a_week(week):
    w, a = week["week"], week["cadres"][0]
    stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY, today=EARLY)
    stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY + timedelta(days=2), today=EARLY)
    with pytest.raises(ValidationError, match="最多 2 晚"):
        stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY + timedelta(days=4), today=EARLY)


def test_past_nights_and_holidays_and_other_townships_are_refused(week):
    w, a = week["week"], week["cadres"][0]
    with pytest.raises(ValidationError, match="已经过去"):
        stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY, today=MONDAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="不是工作日"):
        stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY + timedelta(days=5), today=EARLY)
    with pytest.raises(ValidationError, match="不是本镇"):
        stay_assign(week=w, cadre=week["far"], village=week["v11"], night=MONDAY, today=EARLY)
    with pytest.raises(ValidationError, match="不属于本镇"):
        stay_assign(week=w, cadre=a, village=week["v21"], night=MONDAY, today=EARLY)
    with pytest.raises(ValidationError, match="不在本周"):
        stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY + timedelta(days=7), today=EARLY)


def test_a_stay_in_another_village_of_the_township_is_marked_borrowed(week):
    stay = stay_assign(week=week["week"], cadre=week["cadres"][0], village=week["v12"], night=MONDAY,
                       today=EARLY)
    assert stay.borrowed


def test_delete_refuses_to_uncover_a_workday_night_but_allows_a_double(week):
    w, (a, b, *_rest) = week["week"], week["cadres"]
    s1 = stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY, today=EARLY)
    stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY + timedelta(days=2), today=EARLY)
    with pytest.raises(ValidationError, match="将无人住夜"):
        stay_delete(stay=s1, today=EARLY)
    s2 = stay_assign(week=w, cadre=b, village=week["v11"], night=MONDAY, today=EARLY)
    stay_assign(week=w, cadre=b, village=week["v11"], night=MONDAY + timedelta(days=3), today=EARLY)
    stay_delete(stay=s2, today=EARLY)
    assert not Stay.objects.filter(pk=s2.pk).exists()


def test_delete_refuses_to_leave_a_cadre_with_no_night(week):
    w, (a, b, *_rest) = week["week"], week["cadres"]
    s1 = stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY, today=EARLY)
    stay_assign(week=w, cadre=b, village=week["v11"], night=MONDAY, today=EARLY)
    with pytest.raises(ValidationError, match="至少需住夜 1 晚"):
        stay_delete(stay=s1, today=EARLY)


def test_a_checked_in_stay_cannot_be_moved_or_deleted(week):
    from django.utils import timezone

    w, a = week["week"], week["cadres"][0]
    s = stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY, today=EARLY)
    Stay.objects.filter(pk=s.pk).update(checked_in_at=timezone.now())
    with pytest.raises(ValidationError, match="已签到"):
        stay_move(stay=s, cadre=week["cadres"][1], today=EARLY)
    with pytest.raises(ValidationError, match="已签到"):
        stay_delete(stay=s, today=EARLY)


def test_move_to_another_night_keeps_the_rules(week):
    w, (a, b, *_rest) = week["week"], week["cadres"]
    s = stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY, today=EARLY)
    with pytest.raises(ValidationError, match="将无人住夜"):
        stay_move(stay=s, night=MONDAY + timedelta(days=1), today=EARLY)
    stay_assign(week=w, cadre=b, village=week["v11"], night=MONDAY, today=EARLY)
    moved = stay_move(stay=s, night=MONDAY + timedelta(days=1), today=EARLY)
    assert moved.night == MONDAY + timedelta(days=1)


def test_swap_exchanges_two_cadres_nights(week):
    w, (a, b, *_rest) = week["week"], week["cadres"]
    s1 = stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY, today=EARLY)
    s2 = stay_assign(week=w, cadre=b, village=week["v11"], night=MONDAY + timedelta(days=1), today=EARLY)
    stay_swap(stay=s1, other=s2, today=EARLY)
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert (s1.cadre_id, s2.cadre_id) == (b.pk, a.pk)


def test_swap_on_the_same_night_exchanges_villages(week):
    w, (a, b, *_rest) = week["week"], week["cadres"]
    s1 = stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY, today=EARLY)
    s2 = stay_assign(week=w, cadre=b, village=week["v12"], night=MONDAY, today=EARLY)
    stay_swap(stay=s1, other=s2, today=EARLY)
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert (s1.village_id, s1.borrowed, s2.village_id, s2.borrowed) == (
        week["v12"].pk, True, week["v11"].pk, False)


def test_swap_refused_when_the_other_cadre_is_on_leave(week):
    w, (a, b, *_rest) = week["week"], week["cadres"]
    s1 = stay_assign(week=w, cadre=a, village=week["v11"], night=MONDAY, today=EARLY)
    s2 = stay_assign(week=w, cadre=b, village=week["v11"], night=MONDAY + timedelta(days=1), today=EARLY)
    make_leave(b, MONDAY, MONDAY)
    with pytest.raises(ValidationError, match="已请假"):
        stay_swap(stay=s1, other=s2, today=EARLY)


def test_pinned_stays_survive_replanning(week):
    d = week
    s = stay_assign(week=d["week"], cadre=d["cadres"][3], village=d["v11"], night=MONDAY + timedelta(days=4),
                    today=EARLY)
    stay_pin(stay=s, pinned=True)
    roster_plan(township=d["t1"], week_start=MONDAY, today=EARLY)
    s.refresh_from_db()
    assert s.pinned and s.cadre_id == d["cadres"][3].pk and s.night == MONDAY + timedelta(days=4)


def test_edits_in_a_published_week_announce_the_change_on_commit(week, django_capture_on_commit_callbacks):
    d = week
    roster_plan(township=d["t1"], week_start=MONDAY, today=EARLY)
    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    events.stays_changed.connect(listener)
    events.week_published.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            roster_publish(week=RosterWeek.objects.get(pk=d["week"].pk))
        assert heard and heard[0]["township_id"] == d["t1"].pk and heard[0]["stay_ids"]
        heard.clear()
        stays = list(Stay.objects.filter(village=d["v11"]).order_by("night"))
        a, b = stays[0], next(s for s in stays if s.cadre_id != stays[0].cadre_id)
        with django_capture_on_commit_callbacks(execute=True):
            stay_swap(stay=a, other=b, today=EARLY)
        assert heard == [{"signal": events.stays_changed, "stay_ids": sorted([a.pk, b.pk]),
                          "cadre_ids": sorted({a.cadre_id, b.cadre_id})}]
    finally:
        events.stays_changed.disconnect(listener)
        events.week_published.disconnect(listener)


def test_the_one_stay_per_cadre_night_constraint_backs_the_checks(week):
    from django.db import IntegrityError, transaction

    w, a = week["week"], week["cadres"][0]
    make_stay(w, a, week["v11"], MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_stay(w, a, week["v12"], MONDAY)


@pytest.mark.parametrize("change", ["night", "village"])
def test_the_database_keeps_a_stay_inside_its_week_and_township(week, change):
    from django.db import IntegrityError, transaction

    w, a = week["week"], week["cadres"][0]
    stay = make_stay(w, a, week["v11"], MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        if change == "night":
            Stay.objects.filter(pk=stay.pk).update(night=MONDAY + timedelta(days=7))
        else:
            Stay.objects.filter(pk=stay.pk).update(village=week["v21"])
    with pytest.raises(IntegrityError), transaction.atomic():
        make_stay(w, week["cadres"][1], week["v11"], MONDAY - timedelta(days=1))
