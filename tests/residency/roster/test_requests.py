"""Leave and swaps: cadres request, the township admin decides; approving leave over
planned stays removes them and re-plans around them; swaps follow the same rules."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residency import events
from residency.models import AuditLog, Leave, RosterWeek, Stay, Swap
from residency.nights.isoweek import monday_of
from residency.roster.services import (
    leave_approve,
    leave_cancel,
    leave_reject,
    leave_request,
    roster_plan,
    roster_publish,
    swap_approve,
    swap_reject,
    swap_request,
)
from tests.residency.factories import make_cadre


@pytest.fixture
def planned(people, directory):
    d = directory
    extra = [make_cadre(d["v11"], username=f"x{i}") for i in range(3)]
    extra += [make_cadre(d["v12"], username=f"y{i}") for i in range(3)]
    monday = monday_of(timezone.localdate()) + timedelta(days=7)
    roster_plan(township=d["t1"], week_start=monday)
    roster_publish(week=RosterWeek.objects.get(township=d["t1"], week_start=monday))
    return {"monday": monday, "extra": extra, **d, **people}


def test_leave_request_overlapping_another_is_refused(people):
    cadre = people["cadre"]
    leave_request(cadre=cadre, kind="sick", start=date(2026, 12, 1), end=date(2026, 12, 3))
    with pytest.raises(ValidationError, match="重叠"):
        leave_request(cadre=cadre, kind="trip", start=date(2026, 12, 3), end=date(2026, 12, 5))
    with pytest.raises(ValidationError, match="不能早于"):
        leave_request(cadre=cadre, kind="trip", start=date(2026, 12, 9), end=date(2026, 12, 8))


def test_approving_leave_removes_the_planned_stays_and_replans_around_them(planned,
                                                                           django_capture_on_commit_callbacks):
    cadre, monday = planned["cadre"], planned["monday"]
    nights = list(Stay.objects.filter(cadre=cadre).values_list("night", "village_id"))
    assert nights
    leave = leave_request(cadre=cadre, kind="sick", start=monday, end=monday + timedelta(days=6))
    heard = []
    events.stays_changed.connect(lambda sender, **kw: heard.append(kw), weak=False, dispatch_uid="t1")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            leave_approve(leave=leave, by=planned["township_admin"])
    finally:
        events.stays_changed.disconnect(dispatch_uid="t1")
    assert not Stay.objects.filter(cadre=cadre).exists()
    for night, village_id in nights:  # somebody else covers each of those nights
        assert Stay.objects.filter(night=night, village_id=village_id).exists()
    assert any(cadre.pk in h["cadre_ids"] for h in heard)  # removed, then the replacements
    assert AuditLog.objects.filter(action="leave_approve").exists()


def test_a_decided_leave_cannot_be_decided_again_and_reject_needs_a_note(planned):
    cadre = planned["cadre"]
    leave = leave_request(cadre=cadre, kind="personal", start=date(2027, 1, 4), end=date(2027, 1, 4))
    with pytest.raises(ValidationError, match="审批意见"):
        leave_reject(leave=leave, note="")
    leave_reject(leave=leave, note="人手不足")
    with pytest.raises(ValidationError, match="已处理"):
        leave_approve(leave=leave)


def test_a_cadre_can_cancel_pending_leave_but_not_leave_already_started(planned):
    cadre = planned["cadre"]
    leave = leave_request(cadre=cadre, kind="personal", start=date(2027, 1, 4), end=date(2027, 1, 5))
    leave_cancel(leave=leave)
    assert Leave.objects.get(pk=leave.pk).status == "cancelled"
    started = leave_request(cadre=cadre, kind="personal", start=date(2027, 2, 1), end=date(2027, 2, 2))
    leave_approve(leave=started, today=date(2027, 1, 1))
    with pytest.raises(ValidationError, match="已开始"):
        leave_cancel(leave=started, today=date(2027, 2, 1))


def test_cadre_requests_leave_and_admin_approves_through_the_pages(client, planned):
    client.force_login(planned["cadre"].user)
    start = planned["monday"] + timedelta(days=14)
    response = client.post(reverse("residency:leave-create"), {
        "kind": "training", "start": start.isoformat(), "end": start.isoformat(), "reason": "党校培训"})
    assert response.status_code == 302
    leave = Leave.objects.get(cadre=planned["cadre"])
    client.force_login(planned["township_admin"])
    client.post(reverse("residency:leave-approve", args=[leave.pk]), {"note": "同意"})
    assert Leave.objects.get(pk=leave.pk).status == "approved"


def test_a_bad_leave_form_is_a_clear_error_and_nothing_is_saved(client, planned):
    client.force_login(planned["cadre"].user)
    response = client.post(reverse("residency:leave-create"), {
        "kind": "training", "start": "2027-01-05", "end": "2027-01-01"})
    assert response.status_code == 400
    assert "不能早于" in response.content.decode()
    assert not Leave.objects.exists()


def test_township_admin_of_another_township_cannot_decide_the_leave(client, planned):
    from tests.residency.factories import make_official

    leave = leave_request(cadre=planned["cadre"], kind="personal", start=date(2027, 1, 4), end=date(2027, 1, 4))
    other = make_official("township_admin", username="tadmin2", township=planned["t2"])
    client.force_login(other)
    assert client.post(reverse("residency:leave-approve", args=[leave.pk])).status_code == 404
    assert Leave.objects.get(pk=leave.pk).status == "pending"


def _two_stays_of_v11(planned):
    stays = list(Stay.objects.filter(village=planned["v11"]).order_by("night"))
    mine = next(s for s in stays if s.cadre_id == planned["cadre"].pk)
    other = next(s for s in stays if s.cadre_id != planned["cadre"].pk and s.night != mine.night)
    return mine, other


def test_a_swap_exchange_approved_by_the_admin_exchanges_the_nights(planned):
    mine, other = _two_stays_of_v11(planned)
    swap = swap_request(stay=mine, colleague=other.cadre, colleague_stay=other, by_cadre=planned["cadre"])
    swap_approve(swap=swap, by=planned["township_admin"])
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.cadre_id != planned["cadre"].pk and other.cadre_id == planned["cadre"].pk
    assert Swap.objects.get(pk=swap.pk).status == "approved"


def test_a_swap_for_someone_elses_night_or_an_unpublished_week_is_refused(planned):
    mine, other = _two_stays_of_v11(planned)
    with pytest.raises(ValidationError, match="自己的住夜"):
        swap_request(stay=other, colleague=planned["cadre"], by_cadre=planned["cadre"])
    RosterWeek.objects.filter(pk=mine.week_id).update(status="draft")
    with pytest.raises(ValidationError, match="尚未发布"):
        swap_request(stay=mine, colleague=other.cadre, colleague_stay=other, by_cadre=planned["cadre"])


def test_a_swap_that_became_impossible_is_refused_at_approval(planned):
    mine, other = _two_stays_of_v11(planned)
    swap = swap_request(stay=mine, colleague=other.cadre, colleague_stay=other, by_cadre=planned["cadre"])
    Leave.objects.create(cadre=other.cadre, kind="sick", start=mine.night, end=mine.night,
                         status="approved")
    with pytest.raises(ValidationError, match="已请假"):
        swap_approve(swap=swap)
    assert Swap.objects.get(pk=swap.pk).status == "pending"
    swap_reject(swap=swap, note="同事请假")
    assert Swap.objects.get(pk=swap.pk).status == "rejected"


def test_cadre_asks_for_a_swap_through_the_page(client, planned):
    mine, other = _two_stays_of_v11(planned)
    client.force_login(planned["cadre"].user)
    assert client.get(reverse("residency:swap-create", args=[mine.pk])).status_code == 200
    response = client.post(reverse("residency:swap-create", args=[mine.pk]), {
        "colleague": other.cadre_id, "colleague_stay": other.pk, "reason": "家中有事"})
    assert response.status_code == 302
    swap = Swap.objects.get()
    client.force_login(planned["township_admin"])
    assert client.post(reverse("residency:swap-approve", args=[swap.pk])).status_code == 302
    assert Swap.objects.get(pk=swap.pk).status == "approved"


def test_approved_leave_with_nobody_to_take_over_leaves_a_gap_with_its_reason(people, directory):
    d = directory
    lonely = make_cadre(d["v21"], username="lonely", name="独苗")
    monday = monday_of(timezone.localdate()) + timedelta(days=7)
    roster_plan(township=d["t2"], week_start=monday)
    stay = Stay.objects.filter(cadre=lonely).order_by("night").first()
    Stay.objects.filter(pk=stay.pk).update(pinned=True)  # the leave wins even over a pinned stay
    leave = leave_request(cadre=lonely, kind="sick", start=stay.night, end=stay.night)
    leave_approve(leave=leave)
    assert not Stay.objects.filter(pk=stay.pk).exists()
    week = RosterWeek.objects.get(township=d["t2"], week_start=monday)
    gap = next(g for g in week.gaps if g["night"] == stay.night.isoformat())
    assert "南社区" in gap["reason"] and "当晚请假" in gap["reason"]
