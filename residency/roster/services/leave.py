"""Leave (请假): a cadre requests, the township admin approves or rejects.

Approved leave is never planned over. Approving leave over stays already planned removes
those stays (future, not checked in; pinned ones too: the leave wins) and immediately
re-plans each affected week keeping every other stay, so another cadre takes the night
where one can; where none can, the night shows as a gap with its reason. Published weeks
announce the change (``events.stays_changed``)."""
from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residency import audit, events
from residency.access.roles import Role, role_of
from residency.bounded_input import check_leave_dates
from residency.models import Cadre, Leave, RosterWeek, Stay
from residency.roster.services.planning import roster_plan
from residency.roster.services.requests import request_decide
from residency.roster.services.rules import today_or

MAX_LEAVE_DAYS = 90


@transaction.atomic
def leave_request(*, cadre: Cadre, kind: str, start: date, end: date, reason: str = "",
                  by=None) -> Leave:
    check_leave_dates(start, end)
    if end < start:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    if (end - start).days + 1 > MAX_LEAVE_DAYS:
        raise ValidationError(_("一次请假最长 %(n)d 天。") % {"n": MAX_LEAVE_DAYS})
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
    overlap = Leave.objects.filter(cadre=cadre, status__in=[Leave.Status.PENDING, Leave.Status.APPROVED],
                                   start__lte=end, end__gte=start).first()
    if overlap is not None:
        raise ValidationError(_("与已有的请假 (%(a)s 至 %(b)s, %(s)s) 时间重叠。") % {
            "a": overlap.start.isoformat(), "b": overlap.end.isoformat(),
            "s": overlap.get_status_display()})
    leave = Leave(cadre=cadre, kind=kind, start=start, end=end, reason=reason)
    leave.full_clean()
    leave.save()
    audit.record("leave_request", obj=leave, user=by, start=start.isoformat(), end=end.isoformat())
    transaction.on_commit(lambda: events.leave_requested.send(sender=Leave, leave_id=leave.pk))
    return leave


def _decide(leave: Leave, status: str, by, note: str) -> Leave:
    return request_decide(Leave.objects.select_related("cadre__township"), leave.pk,
                          status=status, by=by, note=note,
                          refusal=_("该请假已处理 (%(s)s), 不能重复审批。"))


def backdate_days_township() -> int:
    return int(getattr(settings, "LEAVE_BACKDATE_DAYS_TOWNSHIP", 3))


def check_backdate_authority(*, leave: Leave, by, today: date) -> bool:
    """Leave whose first night has passed is 补假 (backdated): it takes those nights out of
    what the cadre owed, so the township admin may approve it only up to
    ``LEAVE_BACKDATE_DAYS_TOWNSHIP`` (3) days back; further back only the organisation
    department. Returns whether the leave is backdated."""
    if leave.start >= today:
        return False
    days = (today - leave.start).days
    limit = backdate_days_township()
    if days > limit and role_of(by) != Role.ORG_DEPARTMENT:
        raise ValidationError(_("这是补假 (从 %(d)s 起, 已过去 %(n)d 天): 超过 %(l)d 天的补假须由组织部审批。") % {
            "d": leave.start.isoformat(), "n": days, "l": limit})
    return True


@transaction.atomic
def leave_approve(*, leave: Leave, by=None, note: str = "", today: date | None = None) -> Leave:
    """Approve; stays on the leave dates are removed and their weeks re-planned around them.
    Leave starting before today is marked 补假 and bounded (``check_backdate_authority``)."""
    today = today_or(today)
    backdated = check_backdate_authority(leave=leave, by=by, today=today)
    leave = _decide(leave, Leave.Status.APPROVED, by, note)
    if backdated:
        leave.backdated = True
        leave.save(update_fields=["backdated"])
    stays = list(Stay.objects.filter(cadre=leave.cadre, night__range=(leave.start, leave.end),
                                     night__gte=today, checked_in_at__isnull=True)
                 .select_related("week"))
    removed = [s.pk for s in stays]
    weeks = {s.week_id: s.week for s in stays}
    published = [s.pk for s in stays if s.week.status == RosterWeek.Status.PUBLISHED]
    Stay.objects.filter(pk__in=removed).delete()
    for week in sorted(weeks.values(), key=lambda w: w.week_start):
        roster_plan(township=leave.cadre.township, week_start=week.week_start, by=by, today=today,
                    keep_existing=True)
    audit.record("leave_approve", obj=leave, user=by, removed_stays=removed, note=note,
                 backdated=leave.backdated)
    cadre_id = leave.cadre_id
    transaction.on_commit(lambda: events.leave_decided.send(sender=Leave, leave_id=leave.pk))
    if published:
        transaction.on_commit(lambda: events.stays_changed.send(
            sender=Stay, stay_ids=published, cadre_ids=[cadre_id]))
    return leave


@transaction.atomic
def leave_reject(*, leave: Leave, by=None, note: str = "") -> Leave:
    if not note.strip():
        raise ValidationError(_("驳回请假请填写审批意见。"))
    leave = _decide(leave, Leave.Status.REJECTED, by, note)
    audit.record("leave_reject", obj=leave, user=by, note=note)
    transaction.on_commit(lambda: events.leave_decided.send(sender=Leave, leave_id=leave.pk))
    return leave


@transaction.atomic
def leave_cancel(*, leave: Leave, by=None, today: date | None = None) -> Leave:
    """The cadre withdraws a pending request, or approved leave that has not started yet."""
    today = today_or(today)
    leave = Leave.objects.select_for_update().get(pk=leave.pk)
    if leave.status == Leave.Status.APPROVED and leave.start <= today:
        raise ValidationError(_("已开始的请假不能撤销。"))
    if leave.status not in (Leave.Status.PENDING, Leave.Status.APPROVED):
        raise ValidationError(_("该请假已%(s)s, 不能撤销。") % {"s": leave.get_status_display()})
    leave.status = Leave.Status.CANCELLED
    leave.save(update_fields=["status"])
    audit.record("leave_cancel", obj=leave, user=by)
    return leave


def leave_days_in(leave: Leave) -> list[date]:
    return [leave.start + timedelta(days=i) for i in range((leave.end - leave.start).days + 1)]
