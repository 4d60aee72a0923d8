"""A sweep over a county costs a constant number of queries, however many cadres, stays,
problems, leave requests and meetings it covers (no query per row: each rule reads its
facts in bulk and ``notifications_create`` writes in chunks)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from appraisal.models import Appeal, ReviewMeeting, Violation
from nightlog.models import Problem, Visit
from notifications.kinds import Kind
from notifications.models import Delivery, DigestItem, Notification, SweepMark
from notifications.services import reminders_sweep
from residency.models import Leave
from tests.appraisal.factories import make_violation
from tests.residency.factories import make_cadre, make_household, make_village

from .factories import local, make_stay

pytestmark = pytest.mark.django_db

MON = date(2026, 3, 2)  # a Monday and a statutory workday
AT = local(2026, 3, 2, 21, 30)  # tonight's stay, check-in, problems, ties, meetings all open


def add_villages(directory, staff, count: int, start: int) -> None:
    """``count`` villages in t1, each with a cadre who has a stay tonight and no check-in,
    an overdue problem (14 days: a reminder day, and past the 7 days), a pending leave request and a review meeting
    tomorrow, and (within the event look-back) two findings confirmed an hour ago, one
    appealed and waiting, one appealed and upheld: the catch-up rules for violation and
    appeal notices read them in bulk too."""
    for i in range(start, start + count):
        village = make_village(directory["t1"], code=f"9{i:02d}", name=f"测{i}村")
        cadre = make_cadre(village, phone=f"1370000{i:04d}")
        make_stay(cadre, MON)
        household = make_household(village, head=f"户{i}", categories=["hardship"])
        visit = Visit.objects.create(cadre=cadre, household=household,
                                     visited_at=local(2026, 2, 1, 20, 0), situation="正常",
                                     created_at=local(2026, 2, 1, 20, 0))
        Problem.objects.create(village=village, visit=visit, raised_by=cadre,
                               household=household, summary="修路", owner=cadre.user,
                               due_date=MON - timedelta(days=14), status="raised")
        leave = Leave.objects.create(cadre=cadre, kind=Leave.Kind.TRAINING,
                                     start=MON + timedelta(days=2), end=MON + timedelta(days=2))
        Leave.objects.filter(pk=leave.pk).update(requested_at=AT - timedelta(hours=1))
        ReviewMeeting.objects.create(village=village, year=2026, held_on=MON + timedelta(days=1))
        waiting = make_violation(cadre, MON - timedelta(days=7), by=staff["org_department"])
        upheld = make_violation(cadre, MON - timedelta(days=6), by=staff["org_department"])
        Violation.objects.filter(pk__in=[waiting.pk, upheld.pk]).update(decided_at=AT - timedelta(hours=3))
        Appeal.objects.create(violation=waiting, text="当晚在村", filed_by=cadre.user,
                              filed_at=AT - timedelta(hours=2))
        Appeal.objects.create(violation=upheld, text="当晚在村", filed_by=cadre.user,
                              filed_at=AT - timedelta(hours=2), outcome="upheld",
                              decided_at=AT - timedelta(hours=1), decided_by=staff["org_department"],
                              decision_note="维持")


def forget_everything_sent() -> None:
    Delivery.objects.all().delete()
    DigestItem.objects.all().delete()
    Notification.objects.all().delete()
    SweepMark.objects.all().delete()


def test_a_sweep_over_three_times_the_villages_costs_no_more_queries(
        staff, directory, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    add_villages(directory, staff, 4, start=0)
    with django_assert_max_num_queries(200) as small:
        result = reminders_sweep(at=AT)
    assert result.errors == {} and result.unavailable == {}
    assert {k for k, n in result.created.items() if n} >= {
        Kind.STAY_TONIGHT, Kind.CHECKIN_MISSING, Kind.DIGEST}
    assert {k for k, n in result.digested.items() if n} >= {
        Kind.PROBLEM_OVERDUE, Kind.PROBLEM_OVERDUE_ESCALATED, Kind.LEAVE_REQUESTED,
        Kind.TIES_INCOMPLETE, Kind.REVIEW_MEETING}
    assert (result.created[Kind.STAY_TONIGHT], result.digested[Kind.PROBLEM_OVERDUE]) == (4, 4)
    assert finding_notices() == {Kind.VIOLATION_CONFIRMED: 8, Kind.APPEAL_DECIDED: 4,
                                 Kind.APPEAL_FILED: 8, Kind.LADDER_STEP_DUE: 4}

    forget_everything_sent()
    add_villages(directory, staff, 8, start=4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        result = reminders_sweep(at=AT)
    # Three times the work, in as many queries.
    assert (result.created[Kind.STAY_TONIGHT], result.digested[Kind.PROBLEM_OVERDUE]) == (12, 12)
    assert result.created[Kind.DIGEST] >= 12  # one per cadre (and the township admin)
    assert finding_notices() == {Kind.VIOLATION_CONFIRMED: 24, Kind.APPEAL_DECIDED: 12,
                                 Kind.APPEAL_FILED: 24, Kind.LADDER_STEP_DUE: 12}


def finding_notices() -> dict[str, int]:
    """Notices about findings, by kind (the organisation department's included)."""
    kinds = [Kind.VIOLATION_CONFIRMED, Kind.APPEAL_DECIDED, Kind.APPEAL_FILED, Kind.LADDER_STEP_DUE]
    return {k: Notification.objects.filter(kind=k).count() for k in kinds}
