"""Swaps (换班): a cadre asks a colleague to take a published night (or to exchange nights);
the township admin approves, and the same rules as the admin's own edits apply."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residency import audit, events
from residency.models import Cadre, RosterWeek, Stay, Swap
from residency.roster.services.editing import _announce, _locked_week, _save, _swap_in_week
from residency.roster.services.requests import request_decide
from residency.roster.services.rules import WeekRules, home_village_id, today_or


def _check(rules: WeekRules, stay: Stay, colleague: Cadre, colleague_stay: Stay | None) -> None:
    if stay.checked_in_at is not None:
        raise ValidationError(_("已签到的住夜不能换班。"))
    rules.check_editable_night(stay.night)
    if colleague.pk == stay.cadre_id:
        raise ValidationError(_("不能和自己换班。"))
    if colleague_stay is not None:
        if colleague_stay.cadre_id != colleague.pk or colleague_stay.week_id != stay.week_id:
            raise ValidationError(_("交换的住夜必须是该同事本周的住夜。"))
        if colleague_stay.checked_in_at is not None:
            raise ValidationError(_("已签到的住夜不能换班。"))
        rules.check_editable_night(colleague_stay.night)
        pair = [stay.pk, colleague_stay.pk]
        rules.check_stay(cadre=colleague, village=stay.village, night=stay.night, ignore=pair)
        rules.check_stay(cadre=stay.cadre, village=colleague_stay.village,
                         night=colleague_stay.night, ignore=pair)
    else:
        rules.check_stay(cadre=colleague, village=stay.village, night=stay.night, ignore=[stay.pk])
        rules.check_minimum(cadre=stay.cadre, removed=[stay.pk])


@transaction.atomic
def swap_request(*, stay: Stay, colleague: Cadre, colleague_stay: Stay | None = None,
                 reason: str = "", by_cadre: Cadre, by=None, today: date | None = None) -> Swap:
    if stay.cadre_id != by_cadre.pk:
        raise ValidationError(_("只能为自己的住夜申请换班。"))
    week = _locked_week(stay.week_id)
    if week.status != RosterWeek.Status.PUBLISHED:
        raise ValidationError(_("本周排班尚未发布。"))
    if Swap.objects.filter(stay=stay, status=Swap.Status.PENDING).exists():
        raise ValidationError(_("这一晚已有待审批的换班申请。"))
    rules = WeekRules(week, today=today)
    by_pk = {s.pk: s for s in rules.stays}
    stay = by_pk.get(stay.pk, stay)
    if colleague_stay is not None:
        colleague_stay = by_pk.get(colleague_stay.pk, colleague_stay)
    _check(rules, stay, colleague, colleague_stay)
    swap = Swap(stay=stay, requested_by=by_cadre, colleague=colleague, colleague_stay=colleague_stay,
                reason=reason)
    swap.full_clean()
    swap.save()
    audit.record("swap_request", obj=swap, user=by, stay=stay.pk, colleague=colleague.pk)
    transaction.on_commit(lambda: events.swap_requested.send(sender=Swap, swap_id=swap.pk))
    return swap


def _decide(swap: Swap, status: str, by, note: str) -> Swap:
    return request_decide(Swap.objects.all(), swap.pk, status=status, by=by, note=note,
                          refusal=_("该换班申请已处理 (%(s)s)。"))


@transaction.atomic
def swap_approve(*, swap: Swap, by=None, note: str = "", today: date | None = None) -> Swap:
    swap = Swap.objects.select_related("stay", "colleague").get(pk=swap.pk)
    week = _locked_week(swap.stay.week_id)
    swap = _decide(swap, Swap.Status.APPROVED, by, note)
    rules = WeekRules(week, today=today_or(today))
    by_pk = {s.pk: s for s in rules.stays}
    stay = by_pk.get(swap.stay_id)
    other = by_pk.get(swap.colleague_stay_id) if swap.colleague_stay_id else None
    if stay is None or (swap.colleague_stay_id and other is None):
        raise ValidationError(_("相关住夜已变更, 该换班申请无法执行。"))
    colleague = Cadre.objects.get(pk=swap.colleague_id)
    _check(rules, stay, colleague, other)
    if other is not None:
        _swap_in_week(rules, stay, other)
        changed = [stay.pk, other.pk]
    else:
        stay.cadre = colleague
        stay.borrowed = home_village_id(colleague) != stay.village_id
        _save(stay, ["cadre", "borrowed"])
        changed = [stay.pk]
    audit.record("swap_approve", obj=swap, user=by, note=note)
    _announce(week, changed, [swap.requested_by_id, swap.colleague_id])
    transaction.on_commit(lambda: events.swap_decided.send(sender=Swap, swap_id=swap.pk))
    return swap


@transaction.atomic
def swap_reject(*, swap: Swap, by=None, note: str = "") -> Swap:
    if not note.strip():
        raise ValidationError(_("驳回换班请填写审批意见。"))
    swap = _decide(swap, Swap.Status.REJECTED, by, note)
    audit.record("swap_reject", obj=swap, user=by, note=note)
    transaction.on_commit(lambda: events.swap_decided.send(sender=Swap, swap_id=swap.pk))
    return swap


@transaction.atomic
def swap_cancel(*, swap: Swap, by_cadre: Cadre, by=None) -> Swap:
    swap = Swap.objects.select_for_update().get(pk=swap.pk)
    if swap.requested_by_id != by_cadre.pk:
        raise ValidationError(_("只能撤销自己的换班申请。"))
    if swap.status != Swap.Status.PENDING:
        raise ValidationError(_("该换班申请已处理, 不能撤销。"))
    swap.status = Swap.Status.CANCELLED
    swap.save(update_fields=["status"])
    audit.record("swap_cancel", obj=swap, user=by)
    return swap
