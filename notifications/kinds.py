"""The kinds of notification and what each one defaults to. Pure: no database.

Every reminder of issue 6 is one kind; ``digest`` (issue 12) gathers the kinds in
``DIGEST_KINDS`` into one notification per person and sweep. ``urgent`` kinds may send SMS during quiet hours;
``sms_default`` is whether SMS is on for a user who has not chosen (e-mail is on by
default for every kind)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    STAY_TONIGHT = "stay_tonight", _("今晚住夜提醒")
    CHECKIN_MISSING = "checkin_missing", _("住夜未签到")
    NO_VISIT_LOGGED = "no_visit_logged", _("住夜未记民情夜记")
    WEEK_PUBLISHED = "week_published", _("排班已发布")
    STAYS_CHANGED = "stays_changed", _("住夜安排变动")
    LEAVE_REQUESTED = "leave_requested", _("请假待审批")
    LEAVE_DECIDED = "leave_decided", _("请假审批结果")
    SWAP_REQUESTED = "swap_requested", _("换班待审批")
    SWAP_DECIDED = "swap_decided", _("换班审批结果")
    ROSTER_GAPS = "roster_gaps", _("下周排班有缺口")
    PROBLEM_OVERDUE = "problem_overdue", _("问题逾期未办结")
    PROBLEM_OVERDUE_ESCALATED = "problem_overdue_escalated", _("问题逾期超过7天")
    TIES_INCOMPLETE = "ties_incomplete", _("联系户与必访户提醒")
    REVIEW_MEETING = "review_meeting", _("述职评议大会提醒")
    VIOLATION_CONFIRMED = "violation_confirmed", _("违规认定通知")
    LADDER_STEP_DUE = "ladder_step_due", _("诫勉谈话或组织处理待办")
    APPEAL_FILED = "appeal_filed", _("申诉待处理")
    APPEAL_DECIDED = "appeal_decided", _("申诉处理结果")
    DIGEST = "digest", _("待办汇总")
    MEETING_SEASON = "meeting_season", _("述职评议大会未召开提醒")
    EXPORT_FINISHED = "export_finished", _("导出完成")


@dataclass(frozen=True)
class KindInfo:
    urgent: bool = False
    sms_default: bool = False


KIND_INFO: dict[str, KindInfo] = {
    Kind.STAY_TONIGHT: KindInfo(sms_default=True),
    # A coverage gap is about to happen: SMS even in quiet hours.
    Kind.CHECKIN_MISSING: KindInfo(urgent=True, sms_default=True),
    Kind.NO_VISIT_LOGGED: KindInfo(),
    Kind.WEEK_PUBLISHED: KindInfo(),
    # On by default, but it reaches a phone only when it changes tonight's night.
    Kind.STAYS_CHANGED: KindInfo(sms_default=True),
    Kind.LEAVE_REQUESTED: KindInfo(),
    Kind.LEAVE_DECIDED: KindInfo(),
    Kind.SWAP_REQUESTED: KindInfo(),
    Kind.SWAP_DECIDED: KindInfo(),
    Kind.ROSTER_GAPS: KindInfo(),
    Kind.PROBLEM_OVERDUE: KindInfo(),
    Kind.PROBLEM_OVERDUE_ESCALATED: KindInfo(),
    Kind.TIES_INCOMPLETE: KindInfo(),
    Kind.REVIEW_MEETING: KindInfo(),
    # A finding with a deadline to appeal: the cadre must not miss it.
    Kind.VIOLATION_CONFIRMED: KindInfo(sms_default=True),
    Kind.LADDER_STEP_DUE: KindInfo(),
    Kind.APPEAL_FILED: KindInfo(),
    Kind.APPEAL_DECIDED: KindInfo(sms_default=True),
    Kind.DIGEST: KindInfo(),
    Kind.MEETING_SEASON: KindInfo(),
    Kind.EXPORT_FINISHED: KindInfo(),
}

# What is due but not tonight: a sweep gathers these into one ``digest`` notification per
# person (their own key lives on as a ``DigestItem`` row, so each is listed once).
DIGEST_KINDS: frozenset[str] = frozenset({
    Kind.PROBLEM_OVERDUE, Kind.PROBLEM_OVERDUE_ESCALATED, Kind.TIES_INCOMPLETE,
    Kind.ROSTER_GAPS, Kind.REVIEW_MEETING, Kind.NO_VISIT_LOGGED,
    Kind.LEAVE_REQUESTED, Kind.SWAP_REQUESTED,
})

# The only kinds that may go to a phone (SMS, 浙政钉): tonight's stay, plus every urgent
# kind (``pushes``). Everything else stays in the app (and e-mail).
PUSH_KINDS: frozenset[str] = frozenset({Kind.STAY_TONIGHT})


def info(kind: str) -> KindInfo:
    return KIND_INFO.get(kind, KindInfo())


def may_reach_a_phone(kind: str) -> bool:
    """Whether any notification of ``kind`` can go to a phone (for the preferences page):
    tonight's stay, urgent kinds, and a change of stays (when it is tonight's)."""
    return pushes(kind) or kind == Kind.STAYS_CHANGED


def pushes(kind: str, *, urgent: bool = False, tonight: bool = False) -> bool:
    """Whether a notification may go to a phone (SMS, 浙政钉) at all: tonight's stay
    (its reminder, or a change to tonight's night) and urgent ones only."""
    return urgent or tonight or info(kind).urgent or kind in PUSH_KINDS
