"""The violation register: one incident per cadre-night built from the roster's signals,
decisions, appeals and the actions the ladder calls for. Nothing is ever confirmed
automatically."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit
from residency.access.roles import Role
from residency.bounded_input import check_date
from residency.models import Cadre, Presence, Stay
from residency.roster.services import stay_presence_correct

from .. import events, incidents, ladder, sources
from ..appeals import appeal_deadline
from ..models import (
    Appeal,
    Appraisal,
    GoldenAward,
    Grade,
    PenaltyAction,
    Violation,
    ViolationSignal,
    standing_q,
)
from ._authority import require

DECIDERS = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT)


def _record_incidents(signals: list[incidents.Signal]) -> int:
    """Turn signals into incidents (pure builder) and store them: a new candidate for each
    cadre-night that has none, every signal attached once. Safe to run any number of times
    and concurrently (the unique constraints drop duplicates). Returns new incidents."""
    built = incidents.build_incidents(signals, sources.incident_context(signals=signals))
    if not built:
        return 0
    cadre_ids = {i.cadre_id for i in built}
    nights = [i.night for i in built]
    existing = _incident_ids(cadre_ids, min(nights), max(nights))
    new = [Violation(cadre_id=i.cadre_id, occurred_on=i.night, source=Violation.Source.NIGHT)
           for i in built if i.key not in existing]
    with transaction.atomic():
        Violation.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        if new:
            existing = _incident_ids(cadre_ids, min(nights), max(nights))
        ViolationSignal.objects.bulk_create(
            [ViolationSignal(violation_id=existing[i.key], kind=s.kind, source_id=s.source_id,
                             description=s.description)
             for i in built if i.key in existing for s in i.signals],
            batch_size=1000, ignore_conflicts=True)
    return len(new)


def _incident_ids(cadre_ids, lo: date, hi: date) -> dict[tuple[int, date], int]:
    return {(cid, night): pk for pk, cid, night in Violation.objects.filter(
        cadre_id__in=cadre_ids, occurred_on__range=(lo, hi), merged_into__isnull=True).exclude(
        source=Violation.Source.WEEK_BELOW_MINIMUM).values_list("pk", "cadre_id", "occurred_on")}


def violation_candidates_sync(*, since: date, until: date) -> int:
    """One candidate incident for every cadre-night between ``since`` and ``until`` that a
    missed check-in, an absent spot check or a far check-in points at (nothing for nights
    under approved leave or given away by an approved swap, inactive cadres, nights outside
    the station). Returns how many incidents were new; nothing is ever confirmed here."""
    if until < since:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    return _record_incidents(sources.night_signals(since=since, until=until))


def violation_candidate_from_spot_check(*, spot_check_id: int) -> Violation | None:
    """The incident an absent spot check points at, with the check attached (idempotent)."""
    _record_incidents(sources.spot_check_signals(spot_check_id=spot_check_id))
    signal = (ViolationSignal.objects.filter(kind=ViolationSignal.Kind.SPOT_CHECK_ABSENT,
                                             source_id=spot_check_id)
              .select_related("violation").first())
    return signal.violation if signal else None


@transaction.atomic
def violation_create_manual(*, cadre: Cadre, occurred_on: date, reason: str, by) -> Violation:
    """A candidate entered by hand, with the reason. It still has to be confirmed. A night
    that already has an incident gets no second one."""
    require(by, cadre, *DECIDERS)
    check_date(occurred_on, field="occurred_on")
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("发生日期不能晚于今天。")})
    if Violation.objects.filter(cadre=cadre, occurred_on=occurred_on, merged_into__isnull=True) \
            .exclude(source=Violation.Source.WEEK_BELOW_MINIMUM).exists():
        raise ValidationError({"occurred_on": _("该干部当晚已有一条记录,同一晚只认定一次。")})
    violation = Violation(cadre=cadre, occurred_on=occurred_on, source=Violation.Source.MANUAL,
                          reason=reason.strip(), created_by=by)
    violation.full_clean()
    try:
        with transaction.atomic():
            violation.save()
    except IntegrityError as exc:
        raise ValidationError({"occurred_on": _("该干部当晚已有一条记录,同一晚只认定一次。")}) from exc
    audit.record("violation_create", obj=violation, user=by, reason=violation.reason)
    return violation


def _lock(violation: Violation) -> Violation:
    return Violation.objects.select_for_update().get(pk=violation.pk)


def _decide(violation: Violation, *, by, note: str, status: str) -> Violation:
    require(by, violation, *DECIDERS)
    locked = _lock(violation)
    if locked.status != Violation.Status.CANDIDATE:
        raise ValidationError(_("该记录已认定或已不予认定,不能重复处理。"))
    if locked.merged_into_id is not None:
        raise ValidationError(_("该记录已并入同一晚的记录,请处理那一条。"))
    if not note.strip():
        raise ValidationError({"decision_note": _("请填写认定意见。")})
    locked.status = status
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.full_clean()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return locked


@transaction.atomic
def violation_confirm(*, violation: Violation, by, note: str) -> Violation:
    """Confirm a candidate. A year graded 优秀 or awarded 金口碑 loses that at once: a cadre
    with a standing violation can have neither."""
    confirmed = _decide(violation, by=by, note=note, status=Violation.Status.CONFIRMED)
    year = confirmed.occurred_on.year
    reset = Appraisal.objects.filter(cadre_id=confirmed.cadre_id, year=year,
                                     final_grade=Grade.EXCELLENT).delete()[0]
    revoked = GoldenAward.objects.filter(cadre_id=confirmed.cadre_id, year=year).delete()[0]
    audit.record("violation_confirm", obj=confirmed, user=by, note=confirmed.decision_note,
                 excellent_grade_reset=bool(reset), golden_revoked=bool(revoked))
    events.send_on_commit(events.violation_decided, violation_id=confirmed.pk, status=confirmed.status)
    return confirmed


@transaction.atomic
def violation_dismiss(*, violation: Violation, by, note: str, present: bool = False) -> Violation:
    """Dismiss a candidate. ``present``: the cadre was shown to have been there that
    night, so the night's stay is corrected to present and counts towards nights stayed."""
    dismissed = _decide(violation, by=by, note=note, status=Violation.Status.DISMISSED)
    if present:
        stay = Stay.objects.filter(cadre_id=dismissed.cadre_id, night=dismissed.occurred_on).first()
        if stay is None:
            raise ValidationError({"decision": _("这一晚没有住夜安排, 无法更正为在岗。")})
        stay_presence_correct(stay=stay, presence=Presence.PRESENT, by=by,
                              reason=_("不予认定违规: %(note)s") % {"note": dismissed.decision_note})
    audit.record("violation_dismiss", obj=dismissed, user=by, note=dismissed.decision_note,
                 present=present)
    events.send_on_commit(events.violation_decided, violation_id=dismissed.pk, status=dismissed.status)
    return dismissed


@transaction.atomic
def appeal_file(*, violation: Violation, by, text: str) -> Appeal:
    """The cadre appeals a confirmed violation once, in writing."""
    locked = _lock(violation)
    if locked.cadre.user_id != by.pk:
        raise ValidationError(_("只能对本人的违规记录提出申诉。"))
    if locked.status != Violation.Status.CONFIRMED or locked.merged_into_id is not None:
        raise ValidationError(_("只能对已认定的记录提出申诉。"))
    if locked.decided_at is not None and timezone.localdate() > appeal_deadline(locked.decided_at):
        raise ValidationError(_("申诉期限已过 (截至 %(d)s)。") % {
            "d": appeal_deadline(locked.decided_at).isoformat()})
    if Appeal.objects.filter(violation=locked).exists():
        raise ValidationError(_("每条记录只能申诉一次。"))
    appeal = Appeal(violation=locked, text=text.strip(), filed_by=by)
    appeal.full_clean(exclude=["violation"])
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as exc:
        raise ValidationError(_("每条记录只能申诉一次。")) from exc
    audit.record("appeal_file", obj=appeal, user=by, violation=locked.pk)
    events.send_on_commit(events.appeal_filed, appeal_id=appeal.pk)
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by, overturn: bool, note: str) -> Appeal:
    """The organisation department upholds or overturns; overturning takes the violation
    out of the count (and the ladder) at once."""
    require(by, appeal, Role.ORG_DEPARTMENT)
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if locked.outcome != Appeal.Outcome.PENDING:
        raise ValidationError(_("该申诉已处理。"))
    if not note.strip():
        raise ValidationError({"decision_note": _("请填写处理意见。")})
    locked.outcome = Appeal.Outcome.OVERTURNED if overturn else Appeal.Outcome.UPHELD
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.full_clean()
    locked.save(update_fields=["outcome", "decided_by", "decided_at", "decision_note"])
    audit.record("appeal_overturn" if overturn else "appeal_uphold", obj=locked, user=by,
                 violation=locked.violation_id, note=locked.decision_note)
    events.send_on_commit(events.appeal_decided, appeal_id=locked.pk, outcome=locked.outcome)
    return locked


def standing_count(*, cadre_id: int, year: int) -> int:
    return Violation.objects.filter(standing_q(), cadre_id=cadre_id, occurred_on__year=year).count()


@transaction.atomic
def penalty_action_record(*, cadre: Cadre, year: int, kind: str, held_on: date, held_by: str,
                          measure: str = "", by) -> PenaltyAction:
    """Record the 诫勉谈话 held or the 组织处理 measure, once the ladder calls for it."""
    require(by, cadre, Role.ORG_DEPARTMENT)
    result = ladder.ladder_for_count(standing_count(cadre_id=cadre.pk, year=year))
    if kind == PenaltyAction.Kind.TALK and not result.talk_due:
        raise ValidationError(_("该干部 %(year)s 年度已认定的违规不足 2 次,不需要诫勉谈话。")
                              % {"year": year})
    if kind == PenaltyAction.Kind.HANDLING and not result.handling_due:
        raise ValidationError(_("该干部 %(year)s 年度已认定的违规不足 3 次,不需要组织处理。")
                              % {"year": year})
    check_date(held_on, field="held_on")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("日期不能晚于今天。")})
    action = PenaltyAction(cadre=cadre, year=year, kind=kind, held_on=held_on,
                           held_by=held_by.strip(), measure=measure.strip(), recorded_by=by)
    action.full_clean()
    action.save()
    audit.record("penalty_action_record", obj=action, user=by, kind=kind)
    return action
