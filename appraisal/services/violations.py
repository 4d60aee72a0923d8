"""The violation register: candidates from the roster's records, decisions, appeals and the
actions the ladder calls for. Nothing is ever confirmed automatically."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit
from residency.bounded_input import check_date
from residency.models import Cadre, SpotCheck
from residency.roles import Role

from .. import events, ladder, sources
from ..models import Appeal, Appraisal, GoldenAward, Grade, PenaltyAction, Violation, standing_q
from ._authority import require

DECIDERS = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT)


def violation_candidates_sync(*, since: date, until: date) -> int:
    """Create a candidate for every absent spot check, missed check-in and week below the
    minimum between ``since`` and ``until`` that has none yet. Safe to run any number of
    times (and concurrently: the unique constraints drop duplicates). Returns how many
    candidates were new."""
    if until < since:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    rows: list[Violation] = []
    spot = list(sources.absent_spot_checks(since=since, until=until)
                .values_list("pk", "expected_cadre_id", "night"))
    stays = list(sources.missed_checkins(since=since, until=until)
                 .values_list("pk", "cadre_id", "night"))
    weeks = sources.weeks_below_minimum(since=since, until=until)

    seen_spot = set(Violation.objects.filter(source=Violation.Source.SPOT_CHECK,
                                             source_id__in=[s[0] for s in spot])
                    .values_list("source_id", flat=True))
    seen_stay = set(Violation.objects.filter(source=Violation.Source.MISSED_CHECKIN,
                                             source_id__in=[s[0] for s in stays])
                    .values_list("source_id", flat=True))
    seen_week = set(Violation.objects.filter(source=Violation.Source.WEEK_BELOW_MINIMUM,
                                             week_start__gte=since, week_start__lte=until)
                    .values_list("cadre_id", "week_start"))
    for pk, cadre_id, night in spot:
        if pk not in seen_spot:
            rows.append(Violation(cadre_id=cadre_id, occurred_on=night, source_id=pk,
                                  source=Violation.Source.SPOT_CHECK))
    for pk, cadre_id, night in stays:
        if pk not in seen_stay:
            rows.append(Violation(cadre_id=cadre_id, occurred_on=night, source_id=pk,
                                  source=Violation.Source.MISSED_CHECKIN))
    for cadre_id, week_start in weeks:
        if (cadre_id, week_start) not in seen_week:
            rows.append(Violation(cadre_id=cadre_id, occurred_on=week_start, week_start=week_start,
                                  source=Violation.Source.WEEK_BELOW_MINIMUM))
    with transaction.atomic():
        Violation.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def violation_candidate_from_spot_check(*, spot_check_id: int) -> Violation | None:
    """The candidate for one spot check that found the cadre absent (idempotent)."""
    check = SpotCheck.objects.filter(pk=spot_check_id, present=False).first()
    if check is None:
        return None
    violation, _created = Violation.objects.get_or_create(
        source=Violation.Source.SPOT_CHECK, source_id=check.pk,
        defaults={"cadre_id": check.expected_cadre_id, "occurred_on": check.night})
    return violation


@transaction.atomic
def violation_create_manual(*, cadre: Cadre, occurred_on: date, reason: str, by) -> Violation:
    """A candidate entered by hand, with the reason. It still has to be confirmed."""
    require(by, cadre, *DECIDERS)
    check_date(occurred_on, field="occurred_on")
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("发生日期不能晚于今天。")})
    violation = Violation(cadre=cadre, occurred_on=occurred_on, source=Violation.Source.MANUAL,
                          reason=reason.strip(), created_by=by)
    violation.full_clean()
    violation.save()
    audit.record("violation_create", obj=violation, user=by, reason=violation.reason)
    return violation


def _lock(violation: Violation) -> Violation:
    return Violation.objects.select_for_update().get(pk=violation.pk)


def _decide(violation: Violation, *, by, note: str, status: str) -> Violation:
    require(by, violation, *DECIDERS)
    locked = _lock(violation)
    if locked.status != Violation.Status.CANDIDATE:
        raise ValidationError(_("该记录已认定或已不予认定,不能重复处理。"))
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
def violation_dismiss(*, violation: Violation, by, note: str) -> Violation:
    dismissed = _decide(violation, by=by, note=note, status=Violation.Status.DISMISSED)
    audit.record("violation_dismiss", obj=dismissed, user=by, note=dismissed.decision_note)
    events.send_on_commit(events.violation_decided, violation_id=dismissed.pk, status=dismissed.status)
    return dismissed


@transaction.atomic
def appeal_file(*, violation: Violation, by, text: str) -> Appeal:
    """The cadre appeals a confirmed violation once, in writing."""
    locked = _lock(violation)
    if locked.cadre.user_id != by.pk:
        raise ValidationError(_("只能对本人的违规记录提出申诉。"))
    if locked.status != Violation.Status.CONFIRMED:
        raise ValidationError(_("只能对已认定的记录提出申诉。"))
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
