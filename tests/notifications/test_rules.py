"""Each reminder's rule at the service level: a sweep at the rule's time creates exactly
the notifications the issue lists (tasks eager, so e-mail and SMS go out in-process)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from appraisal.models import ReviewMeeting
from nightlog.models import LinkedHousehold, Problem, Visit
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import reminders_sweep
from residency.models import Leave, Swap, WorkdayOverride
from tests.residency.factories import make_household

from .factories import items, keys, local, make_stay, make_week

pytestmark = pytest.mark.django_db

MON = date(2026, 3, 2)  # a Monday and a statutory workday


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks


def sweep(moment, *kinds):
    """A sweep as beat runs it, with the after-commit delivery executed (eager)."""
    with _capture(execute=True):
        return reminders_sweep(at=moment, kinds=set(kinds) or None)


# --- 16:00 tonight's stay ---------------------------------------------------------------


def test_at_1600_each_cadre_with_a_published_stay_tonight_is_told_the_village(staff, sms, mailoutbox):
    stay = make_stay(staff["cadre"], MON)
    make_stay(staff["cadre_far"], MON, published=False)  # a draft week is not announced
    make_stay(staff["cadre_other"], MON + timedelta(days=1))  # not tonight

    result = sweep(local(2026, 3, 2, 16, 0), Kind.STAY_TONIGHT)

    assert result.created == {Kind.STAY_TONIGHT: 1}
    n = Notification.objects.get()
    assert (n.recipient_id, n.subject, n.date) == (staff["cadre"].user_id, f"stay:{stay.pk}", MON)
    assert n.text == "今晚您在东村住夜。"
    assert [m.to for m in mailoutbox] == [["cadre1@example.org"]]
    assert [s["phone"] for s in sms] == ["13800000001"]


def test_before_1600_no_tonight_reminder(staff):
    make_stay(staff["cadre"], MON)
    assert sweep(local(2026, 3, 2, 15, 55), Kind.STAY_TONIGHT).created == {}
    assert Notification.objects.count() == 0


def test_a_tonight_reminder_is_not_created_after_the_night_began(staff):
    make_stay(staff["cadre"], MON)
    sweep(local(2026, 3, 3, 0, 30), Kind.STAY_TONIGHT)
    assert Notification.objects.count() == 0


# --- 21:30 missing check-in --------------------------------------------------------------


def test_at_2130_a_stay_without_checkin_alerts_the_cadre_and_the_township_admin(staff, sms):
    missing = make_stay(staff["cadre"], MON)
    make_stay(staff["cadre_other"], MON, checked_in_at=local(2026, 3, 2, 20, 0))

    sweep(local(2026, 3, 2, 21, 30), Kind.CHECKIN_MISSING)

    assert keys(Kind.CHECKIN_MISSING) == [
        ("cadre1", Kind.CHECKIN_MISSING, f"stay:{missing.pk}", MON),
        ("tadmin", Kind.CHECKIN_MISSING, f"stay:{missing.pk}", MON),
    ]
    admin_note = Notification.objects.get(recipient=staff["township_admin"])
    assert "东村" in admin_note.text and "cadre1" in admin_note.text
    assert admin_note.urgent
    # Urgent: SMS goes out to both even late in the evening.
    assert sorted(s["phone"] for s in sms) == ["13800000001", "13900000009"]


def test_missing_checkin_is_caught_up_after_midnight_but_dropped_once_the_night_ends(staff):
    make_stay(staff["cadre"], MON)
    sweep(local(2026, 3, 3, 2, 0), Kind.CHECKIN_MISSING)  # check-in window over
    assert Notification.objects.count() == 0
    sweep(local(2026, 3, 3, 0, 30), Kind.CHECKIN_MISSING)  # a late sweep still in the night
    assert Notification.objects.filter(kind=Kind.CHECKIN_MISSING).count() == 2


# --- 09:00 no night log -------------------------------------------------------------------


def _visit(cadre, household, when, stay=None):
    return Visit.objects.create(cadre=cadre, household=household, visited_at=when, stay=stay,
                                situation="家中一切正常", created_at=when)


def test_at_0900_a_cadre_who_stayed_and_logged_no_visit_is_reminded(staff, households):
    checked = local(2026, 3, 2, 19, 0)
    lazy = make_stay(staff["cadre"], MON, checked_in_at=checked)
    busy = make_stay(staff["cadre_other"], MON, checked_in_at=checked)
    _visit(staff["cadre_other"], households["h12"], local(2026, 3, 2, 20, 0))
    make_stay(staff["cadre_far"], MON)  # did not stay: the missing check-in covers it

    sweep(local(2026, 3, 3, 9, 0), Kind.NO_VISIT_LOGGED)

    assert keys(Kind.NO_VISIT_LOGGED) == [("cadre1", Kind.NO_VISIT_LOGGED, f"stay:{lazy.pk}", MON)]
    assert busy.pk != lazy.pk


def test_a_visit_after_midnight_or_linked_to_the_stay_counts_for_the_night(staff, households):
    checked = local(2026, 3, 2, 19, 0)
    a = make_stay(staff["cadre"], MON, checked_in_at=checked)
    b = make_stay(staff["cadre_other"], MON, checked_in_at=checked)
    _visit(staff["cadre"], households["h11"], local(2026, 3, 3, 0, 40))
    _visit(staff["cadre_other"], households["h12"], local(2026, 3, 1, 12, 0), stay=b)
    sweep(local(2026, 3, 3, 9, 0), Kind.NO_VISIT_LOGGED)
    assert Notification.objects.count() == 0
    assert a.pk and b.pk


# --- events: published week, changed stays, leave, swaps -------------------------------------


def test_a_sweep_finds_a_published_week_whose_event_was_lost(staff):
    stay = make_stay(staff["cadre"], MON)
    make_stay(staff["cadre"], MON + timedelta(days=2))
    stay.week.published_at = local(2026, 2, 27, 10, 0)
    stay.week.save()
    sweep(local(2026, 2, 27, 10, 5), Kind.WEEK_PUBLISHED)
    n = Notification.objects.get(kind=Kind.WEEK_PUBLISHED)
    assert n.recipient_id == staff["cadre"].user_id
    assert n.subject == f"week:{stay.week_id}"
    assert "3月2日 东村" in n.text and "3月4日 东村" in n.text


def test_an_announced_week_is_not_re_read_by_later_sweeps(staff, django_assert_max_num_queries):
    stay = make_stay(staff["cadre"], MON)
    stay.week.published_at = local(2026, 2, 27, 10, 0)
    stay.week.save()
    sweep(local(2026, 2, 27, 10, 5), Kind.WEEK_PUBLISHED)
    with django_assert_max_num_queries(2):  # the weeks query and the deliveries query only
        result = reminders_sweep(at=local(2026, 2, 27, 10, 10), kinds={Kind.WEEK_PUBLISHED})
    assert result.created == {Kind.WEEK_PUBLISHED: 0}


def test_leave_request_goes_to_the_approver_and_the_decision_to_the_requester(staff):
    cadre = staff["cadre"]
    leave = Leave.objects.create(cadre=cadre, kind=Leave.Kind.TRAINING, start=MON, end=MON)
    now = timezone.now()
    reminders_sweep(at=now, kinds={Kind.LEAVE_REQUESTED, Kind.LEAVE_DECIDED})
    assert keys() == [("tadmin", Kind.LEAVE_REQUESTED, f"leave:{leave.pk}",
                       timezone.localdate(leave.requested_at))]
    leave.status, leave.decided_at = Leave.Status.APPROVED, timezone.now()
    leave.save()
    reminders_sweep(at=timezone.now(), kinds={Kind.LEAVE_REQUESTED, Kind.LEAVE_DECIDED})
    decided = Notification.objects.get(kind=Kind.LEAVE_DECIDED)
    assert decided.recipient_id == cadre.user_id
    assert "已批准" in decided.text
    assert decided.text == "您的培训申请（3月2日）已批准。"  # one day: no "3月2日 至 3月2日"


def test_a_leave_of_several_days_names_its_first_and_last_day(staff):
    Leave.objects.create(cadre=staff["cadre"], kind=Leave.Kind.TRAINING, start=MON,
                         end=MON + timedelta(days=2))
    reminders_sweep(at=timezone.now(), kinds={Kind.LEAVE_REQUESTED})
    assert "（3月2日 至 3月4日），请审批。" in Notification.objects.get().text


def test_swap_request_goes_to_the_approver_and_the_decision_to_the_requester(staff):
    stay = make_stay(staff["cadre"], MON)
    swap = Swap.objects.create(stay=stay, requested_by=staff["cadre"],
                               colleague=staff["cadre_other"])
    reminders_sweep(at=timezone.now(), kinds={Kind.SWAP_REQUESTED, Kind.SWAP_DECIDED})
    assert [k[:3] for k in keys()] == [("tadmin", Kind.SWAP_REQUESTED, f"swap:{swap.pk}")]
    swap.status, swap.decided_at = Swap.Status.REJECTED, timezone.now()
    swap.save()
    reminders_sweep(at=timezone.now(), kinds={Kind.SWAP_REQUESTED, Kind.SWAP_DECIDED})
    decided = Notification.objects.get(kind=Kind.SWAP_DECIDED)
    assert decided.recipient_id == staff["cadre"].user_id and "已驳回" in decided.text


# --- Thursday 10:00 roster gaps ------------------------------------------------------------


def test_thursday_1000_township_admins_whose_next_week_has_gaps(staff, directory):
    next_mon = date(2026, 3, 9)
    # t1 has two villages x 5 workday nights; cover four of them, a county override adds
    # Saturday as a workday night.
    for i in range(4):
        make_stay(staff["cadre"], next_mon + timedelta(days=i), published=False)
    WorkdayOverride.objects.create(county=directory["county"], date=date(2026, 3, 14),
                                   is_workday=True, reason="防台")

    sweep(local(2026, 3, 5, 10, 0), Kind.ROSTER_GAPS)

    n = items(Kind.ROSTER_GAPS).get()
    assert (n.recipient_id, n.subject, n.date) == (staff["township_admin"].pk,
                                                  f"township:{directory['t1'].pk}", next_mon)
    assert "8 个村·夜" in n.text  # (6 nights x 2 villages) - 4 covered
    assert "尚未发布" in n.text


def test_no_gap_reminder_when_next_week_is_fully_covered(staff, directory):
    next_mon = date(2026, 3, 9)
    other = staff["cadre_other"]
    for i in range(5):
        make_stay(staff["cadre"], next_mon + timedelta(days=i))
        make_stay(other, next_mon + timedelta(days=i))
    sweep(local(2026, 3, 5, 10, 0), Kind.ROSTER_GAPS)
    assert not Notification.objects.filter(recipient=staff["township_admin"]).exists()


# --- daily overdue problems ----------------------------------------------------------------


def _problem(staff, households, *, due, status="raised", owner=None):
    visit = _visit(staff["cadre"], households["h11"], local(2026, 2, 1, 20, 0))
    done = {"resolved_at": local(2026, 2, 2), "resolution": "已安排"} if status == "resolved" else {}
    return Problem.objects.create(village=staff["cadre"].stations.get().village, visit=visit,
                                  raised_by=staff["cadre"], household=households["h11"],
                                  summary="帮儿子找工作", owner=owner or staff["village_cadre"],
                                  due_date=due, status=status, **done)


def test_the_owner_of_an_overdue_problem_is_reminded_on_days_1_3_7_then_weekly(staff, households):
    late = _problem(staff, households, due=date(2026, 3, 1))
    _problem(staff, households, due=date(2026, 3, 31))  # not past due in March
    _problem(staff, households, due=date(2026, 2, 1), status="resolved")

    for day in range(2, 32):  # every morning of March after the due date
        sweep(local(2026, 3, day, 8, 30), Kind.PROBLEM_OVERDUE)

    days_overdue = [(k[3] - date(2026, 3, 1)).days for k in keys(Kind.PROBLEM_OVERDUE)]
    assert days_overdue == [1, 3, 7, 14, 21, 28]
    assert {k[2] for k in keys(Kind.PROBLEM_OVERDUE)} == {f"problem:{late.pk}"}
    # Listed in the owner's digest of that morning, never a notification of its own.
    assert not Notification.objects.filter(kind=Kind.PROBLEM_OVERDUE).exists()
    assert Notification.objects.filter(recipient=staff["village_cadre"],
                                       kind=Kind.DIGEST).count() == 6
    assert "已过办结期限（3月1日）7 天" in items(Kind.PROBLEM_OVERDUE)[2].text


def test_the_township_admin_is_told_once_when_a_problem_is_7_days_overdue(staff, households):
    six = _problem(staff, households, due=date(2026, 2, 24))
    seven = _problem(staff, households, due=date(2026, 2, 23))
    for day in (2, 3, 4):
        reminders_sweep(at=local(2026, 3, day, 8, 30),
                        kinds={Kind.PROBLEM_OVERDUE_ESCALATED})
    # Once each, dated the day it became 7 days overdue.
    assert sorted(keys(Kind.PROBLEM_OVERDUE_ESCALATED)) == sorted([
        ("tadmin", Kind.PROBLEM_OVERDUE_ESCALATED, f"problem:{seven.pk}", date(2026, 3, 2)),
        ("tadmin", Kind.PROBLEM_OVERDUE_ESCALATED, f"problem:{six.pk}", date(2026, 3, 3)),
    ])
    assert "帮儿子找工作" in items(Kind.PROBLEM_OVERDUE_ESCALATED)[0].text


# --- weekly household ties -------------------------------------------------------------------


def test_weekly_cadres_with_fewer_than_5_ties_or_unvisited_must_visit_households(staff, directory):
    v11 = directory["v11"]
    cadre, other = staff["cadre"], staff["cadre_other"]
    must = make_household(v11, head="甲", categories=["hardship"])
    for i in range(5):
        h = must if i == 0 else make_household(v11, head=f"户{i}")
        LinkedHousehold.objects.create(cadre=cadre, household=h, since=date(2026, 1, 1))
    # cadre has 5 ties but the hardship household is unvisited this quarter (a visit last
    # quarter does not count); ``other`` has no ties at all.
    _visit(cadre, must, local(2025, 12, 20, 20, 0))
    staff["cadre_far"].active = False
    staff["cadre_far"].save()

    sweep(local(2026, 3, 2, 9, 0), Kind.TIES_INCOMPLETE)

    texts = dict(Notification.objects.values_list("recipient_id", "text"))
    assert "1 户本季度还没有走访" in texts[cadre.user_id]
    assert "联系 0 户" in texts[other.user_id]
    assert set(texts) == {cadre.user_id, other.user_id}


def test_a_cadre_with_5_ties_all_visited_gets_no_weekly_reminder(staff, directory):
    cadre = staff["cadre"]
    for i in range(5):
        h = make_household(directory["v11"], head=f"户{i}", categories=["hardship"])
        LinkedHousehold.objects.create(cadre=cadre, household=h, since=date(2026, 1, 1))
        _visit(cadre, h, local(2026, 1, 10, 20, 0))
    sweep(local(2026, 3, 2, 9, 0), Kind.TIES_INCOMPLETE)
    assert not Notification.objects.filter(recipient=cadre.user).exists()


# --- review meeting -------------------------------------------------------------------------


def test_cadres_of_the_village_are_reminded_a_week_and_a_day_before_the_review_meeting(staff, directory):
    meeting = ReviewMeeting.objects.create(village=directory["v11"], year=2026,
                                           held_on=date(2026, 3, 10), place="村部会议室")
    for day in range(1, 11):
        sweep(local(2026, 3, day, 9, 0), Kind.REVIEW_MEETING)
    assert keys(Kind.REVIEW_MEETING) == [
        ("cadre1", Kind.REVIEW_MEETING, f"meeting:{meeting.pk}", date(2026, 3, 3)),
        ("cadre1", Kind.REVIEW_MEETING, f"meeting:{meeting.pk}", date(2026, 3, 9)),
    ]
    assert "还有 7 天" in Notification.objects.get(date=date(2026, 3, 3)).text


# --- make_week is a factory helper; keep it honest -----------------------------------------------


def test_factory_week_is_published(directory):
    assert make_week(directory["t1"], MON).status == "published"


# --- the meeting season ---------------------------------------------------------------------


def test_from_1_november_township_admins_are_reminded_weekly_of_villages_without_a_meeting(
        staff, directory):
    ReviewMeeting.objects.create(village=directory["v11"], year=2026, held_on=date(2026, 10, 20),
                                 place="村部会议室")
    sweep(local(2026, 10, 31, 9, 0), Kind.MEETING_SEASON)
    assert keys(Kind.MEETING_SEASON) == []  # not before the season
    for day in range(1, 16):
        sweep(local(2026, 11, day, 9, 30), Kind.MEETING_SEASON)
    assert keys(Kind.MEETING_SEASON) == [
        ("tadmin", Kind.MEETING_SEASON, f"season:{directory['t1'].pk}", date(2026, 11, 1)),
        ("tadmin", Kind.MEETING_SEASON, f"season:{directory['t1'].pk}", date(2026, 11, 8)),
        ("tadmin", Kind.MEETING_SEASON, f"season:{directory['t1'].pk}", date(2026, 11, 15)),
    ]
    text = Notification.objects.filter(kind=Kind.MEETING_SEASON).first().text
    assert "西村" in text and "东村" not in text  # 东村 held its meeting in October


def test_the_season_start_is_a_setting(staff, directory, settings):
    settings.NOTIFICATIONS_MEETING_SEASON_START = "12-01"
    sweep(local(2026, 11, 20, 9, 30), Kind.MEETING_SEASON)
    assert keys(Kind.MEETING_SEASON) == []
    sweep(local(2026, 12, 1, 9, 30), Kind.MEETING_SEASON)
    assert [k[3] for k in keys(Kind.MEETING_SEASON)] == [date(2026, 12, 1)]
