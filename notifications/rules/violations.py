"""Notices about findings under the residence rule (R3): the cadre is told when a
violation is confirmed (with the appeal deadline and a link), the organisation department
when an appeal is filed and when a ladder step (诫勉谈话, 组织处理) falls due, the cadre
when the appeal is decided. Built from appraisal's events (appraisal/events.py)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import ladder
from appraisal.appeals import appeal_deadline
from appraisal.models import Appeal, Violation, standing_q
from residency.access.roles import Role
from residency.models import Official

from .. import conf
from ..kinds import Kind
from ..reminder import Reminder
from .common import link, md


def _violation_link(violation_id: int) -> str:
    return link(("appraisal:violation-detail", violation_id), ("home",))


def org_departments(county_ids) -> dict[int, list[int]]:
    """county id -> user ids of its organisation department."""
    out: dict[int, list[int]] = {}
    for county_id, user_id in (Official.objects.filter(
            county_id__in=set(county_ids), user__is_active=True,
            user__groups__name=Role.ORG_DEPARTMENT.value)
            .values_list("county_id", "user_id").distinct().order_by("user_id")):
        out.setdefault(county_id, []).append(user_id)
    return out


def _confirmed(violations: list[Violation]) -> list[Reminder]:
    """Notices for confirmed violations (``cadre__township`` loaded): two queries, however
    many violations."""
    violations = [v for v in violations if v.decided_at is not None]
    if not violations:
        return []
    counts: dict[tuple[int, int], int] = {}
    years = {v.occurred_on.year for v in violations}
    for cadre_id, year, n in (Violation.objects.filter(
            standing_q(), cadre_id__in={v.cadre_id for v in violations}, occurred_on__year__in=years)
            .values_list("cadre_id", "occurred_on__year").annotate(n=Count("pk")).order_by()):
        counts[(cadre_id, year)] = n
    orgs = org_departments({v.cadre.township.county_id for v in violations})
    reminders: list[Reminder] = []
    for v in violations:
        night = v.occurred_on
        url = _violation_link(v.pk)
        reminders.append(Reminder(
            recipient_id=v.cadre.user_id, kind=Kind.VIOLATION_CONFIRMED, subject=f"violation:{v.pk}",
            date=timezone.localtime(v.decided_at).date(), link=url,
            text=_("您 %(night)s 的住夜经认定为未按规定执行住村服务制度（%(note)s）。如有异议，"
                   "请于 %(deadline)s 前提出申诉。") % {
                "night": md(night), "note": v.decision_note,
                "deadline": md(appeal_deadline(v.decided_at))}))
        count = counts.get((v.cadre_id, night.year), 0)
        result = ladder.ladder_for_count(count)
        step = {ladder.TALK: _("诫勉谈话"), ladder.HANDLING: _("组织处理")}.get(result.step)
        if step is not None and count == result.step:  # the step has just been reached
            for user_id in orgs.get(v.cadre.township.county_id, []):
                reminders.append(Reminder(
                    recipient_id=user_id, kind=Kind.LADDER_STEP_DUE,
                    subject=f"ladder:{v.cadre_id}:{night.year}:{result.step}",
                    date=date(night.year, 1, 1), link=url,
                    text=_("%(township)s %(cadre)s %(year)s 年度已认定违反住村制度 %(count)s 次，"
                           "应予%(step)s。") % {
                        "township": v.cadre.township.name, "cadre": v.cadre.name,
                        "year": night.year, "count": count, "step": step}))
    return reminders


def _filed(appeals: list[Appeal]) -> list[Reminder]:
    """Notices for filed appeals (``violation__cadre__township`` loaded): one query."""
    if not appeals:
        return []
    orgs = org_departments({a.violation.cadre.township.county_id for a in appeals})
    reminders: list[Reminder] = []
    for a in appeals:
        v = a.violation
        text = _("%(township)s %(cadre)s 对 %(night)s 的违规认定提出申诉，请审查处理。") % {
            "township": v.cadre.township.name, "cadre": v.cadre.name, "night": md(v.occurred_on)}
        reminders.extend(Reminder(recipient_id=user_id, kind=Kind.APPEAL_FILED, subject=f"appeal:{a.pk}",
                                  date=timezone.localtime(a.filed_at).date(), text=text,
                                  link=_violation_link(v.pk))
                         for user_id in orgs.get(v.cadre.township.county_id, []))
    return reminders


def _decided(appeals: list[Appeal]) -> list[Reminder]:
    """Notices for decided appeals (``violation__cadre`` loaded): no query."""
    reminders: list[Reminder] = []
    for a in appeals:
        if a.decided_at is None or a.outcome == Appeal.Outcome.PENDING:
            continue
        v = a.violation
        if a.outcome == Appeal.Outcome.OVERTURNED:
            text = _("您对 %(night)s 违规认定的申诉已处理：撤销认定，不计入违规次数。%(note)s")
        else:
            text = _("您对 %(night)s 违规认定的申诉已处理：维持认定。%(note)s")
        reminders.append(Reminder(recipient_id=v.cadre.user_id, kind=Kind.APPEAL_DECIDED,
                                  subject=f"appeal:{a.pk}", date=timezone.localtime(a.decided_at).date(),
                                  text=text % {"night": md(v.occurred_on), "note": a.decision_note},
                                  link=_violation_link(v.pk)))
    return reminders


def violation_confirmed(*, violation_id: int) -> list[Reminder]:
    """The cadre: what was found, the appeal deadline and the link; the organisation
    department: a ladder step that this confirmation made due."""
    return _confirmed(list(Violation.objects.filter(pk=violation_id, status=Violation.Status.CONFIRMED)
                           .select_related("cadre__township")))


def appeal_filed(*, appeal_id: int) -> list[Reminder]:
    """The organisation department of the cadre's county: an appeal waits for a decision."""
    return _filed(list(Appeal.objects.filter(pk=appeal_id).select_related("violation__cadre__township")))


def appeal_decided(*, appeal_id: int) -> list[Reminder]:
    """The cadre: the appeal was upheld (the finding stands) or overturned."""
    return _decided(list(Appeal.objects.filter(pk=appeal_id).select_related("violation__cadre")))


# --- Catch-up: the sweep re-derives notices whose event was lost, in bulk (a constant
# number of queries however many findings the look-back window holds) ----------------------


def _since(at: datetime) -> datetime:
    return at - timedelta(days=conf.event_lookback_days())


def violation_confirmed_recent(*, at: datetime) -> list[Reminder]:
    return _confirmed(list(Violation.objects.filter(
        status=Violation.Status.CONFIRMED, decided_at__range=(_since(at), at))
        .select_related("cadre__township").order_by("pk")))


def appeal_filed_recent(*, at: datetime) -> list[Reminder]:
    return _filed(list(Appeal.objects.filter(filed_at__range=(_since(at), at))
                       .select_related("violation__cadre__township").order_by("pk")))


def appeal_decided_recent(*, at: datetime) -> list[Reminder]:
    return _decided(list(Appeal.objects.filter(decided_at__range=(_since(at), at))
                         .select_related("violation__cadre").order_by("pk")))
