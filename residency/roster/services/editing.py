"""The township admin's edits of a week: assign, move, swap, pin, delete.

Every edit locks the week's row first (so concurrent edits of one township's week run one
after the other and each sees the other's result), checks the rule R1 hard rules
(``rules.WeekRules``) and relies on the ``one_stay_per_cadre_night`` constraint as the last
word: a double booking that slips past the checks is refused, never a 500."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from residency import audit, events
from residency.models import Cadre, RosterWeek, Stay, Village
from residency.roster.services.rules import WeekRules, home_village_id


def _locked_week(week_id: int) -> RosterWeek:
    return RosterWeek.objects.select_for_update().select_related("township").get(pk=week_id)


def _locked_stay(stay: Stay, *, today: date | None, refusal: str) -> tuple[RosterWeek, WeekRules, Stay]:
    """Lock the stay's week and return it, its rules and the stay as the rules see it;
    refused if the stay is gone or already checked in (``refusal``)."""
    week = _locked_week(stay.week_id)
    rules = WeekRules(week, today=today)
    current = next((s for s in rules.stays if s.pk == stay.pk), None)
    if current is None:
        raise ValidationError(_("该住夜安排已不存在, 请刷新。"))
    if current.checked_in_at is not None:
        raise ValidationError(refusal)
    return week, rules, current


def _announce(week: RosterWeek, stay_ids: list[int], cadre_ids: list[int]) -> None:
    if week.status != RosterWeek.Status.PUBLISHED:
        return
    stay_ids, cadre_ids = sorted(set(stay_ids)), sorted(set(cadre_ids))
    transaction.on_commit(lambda: events.stays_changed.send(
        sender=Stay, stay_ids=stay_ids, cadre_ids=cadre_ids))


def _save(stay: Stay, fields: list[str] | None = None) -> None:
    stay.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            stay.save(update_fields=fields) if fields else stay.save()
    except IntegrityError as exc:
        raise ValidationError(_("%(c)s 当晚已有住夜安排 (可能有人同时修改), 请刷新后重试。") % {
            "c": stay.cadre.name}) from exc


@transaction.atomic
def stay_assign(*, week: RosterWeek, cadre: Cadre, village: Village, night: date, by=None,
                pinned: bool = False, today: date | None = None) -> Stay:
    """Add a stay to the week (borrowed when the village is not the cadre's own)."""
    week = _locked_week(week.pk)
    rules = WeekRules(week, today=today)
    rules.check_stay(cadre=cadre, village=village, night=night)
    stay = Stay(cadre=cadre, village=village, night=night, week=week, pinned=pinned,
                borrowed=home_village_id(cadre, night) != village.pk)
    _save(stay)
    audit.record("stay_assign", obj=stay, user=by, cadre=cadre.pk, village=village.pk,
                 night=night.isoformat())
    _announce(week, [stay.pk], [cadre.pk])
    return stay


@transaction.atomic
def stay_move(*, stay: Stay, by=None, cadre: Cadre | None = None, village: Village | None = None,
              night: date | None = None, today: date | None = None) -> Stay:
    """Give a stay to another cadre, village or night of the same week."""
    week, rules, stay = _locked_stay(stay, today=today, refusal=_("已签到的住夜不能更改。"))
    old = (stay.cadre, stay.village, stay.night)
    new_cadre, new_village, new_night = cadre or stay.cadre, village or stay.village, night or stay.night
    if (new_cadre.pk, new_village.pk, new_night) == (old[0].pk, old[1].pk, old[2]):
        raise ValidationError(_("没有任何改变。"))
    rules.check_editable_night(stay.night)
    rules.check_stay(cadre=new_cadre, village=new_village, night=new_night, ignore=[stay.pk])
    rules.check_still_covered(village=old[1], night=old[2], removed=[stay.pk],
                              added=[(new_village.pk, new_night)])
    if new_cadre.pk != old[0].pk:
        rules.check_minimum(cadre=old[0], removed=[stay.pk])
    stay.cadre, stay.village, stay.night = new_cadre, new_village, new_night
    stay.borrowed = home_village_id(new_cadre, new_night) != new_village.pk
    _save(stay, ["cadre", "village", "night", "borrowed"])
    audit.record("stay_move", obj=stay, user=by, from_cadre=old[0].pk, from_village=old[1].pk,
                 from_night=old[2].isoformat(), cadre=new_cadre.pk, village=new_village.pk,
                 night=new_night.isoformat())
    _announce(week, [stay.pk], [old[0].pk, new_cadre.pk])
    return stay


def _swap_in_week(rules: WeekRules, a: Stay, b: Stay) -> tuple[Stay, Stay]:
    """Exchange the cadres of two stays of a locked week, checking the rules both ways."""
    if a.pk == b.pk or a.cadre_id == b.cadre_id:
        raise ValidationError(_("请选择另一位干部的住夜进行对调。"))
    for s in (a, b):
        if s.checked_in_at is not None:
            raise ValidationError(_("已签到的住夜不能对调。"))
        rules.check_editable_night(s.night)
    pair = [a.pk, b.pk]
    rules.check_stay(cadre=b.cadre, village=a.village, night=a.night, ignore=pair)
    rules.check_stay(cadre=a.cadre, village=b.village, night=b.night, ignore=pair)
    ca, cb = a.cadre, b.cadre
    if a.night == b.night:
        # Same night: exchange the villages (equivalent, and never collides on the
        # one-stay-per-cadre-night constraint).
        a.village, b.village = b.village, a.village
    else:
        a.cadre, b.cadre = cb, ca
    for s in (a, b):
        s.borrowed = home_village_id(s.cadre) != s.village_id
    _save(a, ["cadre", "village", "borrowed"])
    _save(b, ["cadre", "village", "borrowed"])
    return a, b


@transaction.atomic
def stay_swap(*, stay: Stay, other: Stay, by=None, today: date | None = None) -> tuple[Stay, Stay]:
    """Exchange two stays of the same week between their cadres."""
    if stay.week_id != other.week_id:
        raise ValidationError(_("只能对调同一周的住夜。"))
    week = _locked_week(stay.week_id)
    rules = WeekRules(week, today=today)
    by_pk = {s.pk: s for s in rules.stays}
    if stay.pk not in by_pk or other.pk not in by_pk:
        raise ValidationError(_("该住夜安排已不存在, 请刷新。"))
    a, b = _swap_in_week(rules, by_pk[stay.pk], by_pk[other.pk])
    audit.record("stay_swap", obj=a, user=by, other=b.pk)
    _announce(week, [a.pk, b.pk], [a.cadre_id, b.cadre_id])
    return a, b


@transaction.atomic
def stay_pin(*, stay: Stay, pinned: bool, by=None) -> Stay:
    """Pin (lock) a stay so that re-planning keeps it, or unpin it."""
    _locked_week(stay.week_id)
    stay = Stay.objects.select_related("cadre", "village").get(pk=stay.pk)
    stay.pinned = pinned
    stay.save(update_fields=["pinned"])
    audit.record("stay_pin", obj=stay, user=by, pinned=pinned)
    return stay


@transaction.atomic
def stay_delete(*, stay: Stay, by=None, today: date | None = None) -> None:
    """Delete a stay (refused if it would uncover a workday night or leave the cadre
    below one night a week)."""
    week, rules, stay = _locked_stay(stay, today=today, refusal=_("已签到的住夜不能删除。"))
    rules.check_editable_night(stay.night)
    rules.check_still_covered(village=stay.village, night=stay.night, removed=[stay.pk])
    rules.check_minimum(cadre=stay.cadre, removed=[stay.pk])
    audit.record("stay_delete", obj=stay, user=by, cadre=stay.cadre_id, village=stay.village_id,
                 night=stay.night.isoformat())
    pk, cadre_id = stay.pk, stay.cadre_id
    stay.delete()
    _announce(week, [pk], [cadre_id])
