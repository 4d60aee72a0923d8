"""Spot checks (暗访): an inspector or township admin records an unannounced night visit.
An absent cadre makes a candidate violation (``roster_selectors.absent_spot_checks``).

Bounded so that an absence cannot be made up: within the recorder's villages (an
inspector's inspected villages, a township admin's township), never in the future, only
for the last ``SPOT_CHECK_MAX_AGE_HOURS`` (48), and only of a cadre rostered (published
stay) or stationed in that village on that night."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit, events
from residency.access.scoping import build_scope
from residency.directory.stations import in_force_on_q
from residency.models import Cadre, RosterWeek, SpotCheck, Station, Stay, Village
from residency.nights import night_of


def max_age_hours() -> int:
    return int(getattr(settings, "SPOT_CHECK_MAX_AGE_HOURS", 48))


@transaction.atomic
def spot_check_record(*, village: Village, at: datetime, present: bool, note: str = "",
                      expected_cadre: Cadre | None = None, by,
                      now: datetime | None = None) -> SpotCheck:
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    now = now or timezone.now()
    if at > now + timedelta(minutes=1):  # a minute for the phone's clock
        raise ValidationError(_("检查时间不能晚于现在。"))
    hours = max_age_hours()
    if at < now - timedelta(hours=hours):
        raise ValidationError(_("只能记录最近 %(h)d 小时内的暗访检查。") % {"h": hours})
    if not build_scope(by).allows(village):
        raise ValidationError(_("%(v)s 不在您的检查范围内。") % {"v": village.name})
    night = night_of(at, activity="spot_check")
    stay = (Stay.objects.filter(village=village, night=night, week__status=RosterWeek.Status.PUBLISHED)
            .select_related("cadre").order_by("pk"))
    if expected_cadre is not None:
        stay = stay.filter(cadre=expected_cadre)
    stay = stay.first()
    if expected_cadre is None:
        if stay is None:
            raise ValidationError(_("%(v)s %(m)d月%(d)d日 没有已发布的住夜安排, 请选择应在岗干部。") % {
                "v": village.name, "m": night.month, "d": night.day})
        expected_cadre = stay.cadre
    if expected_cadre.township_id != village.township_id:
        raise ValidationError(_("%(c)s 不是本镇(街道)的干部。") % {"c": expected_cadre.name})
    if stay is None and not Station.objects.filter(
            in_force_on_q(night), cadre=expected_cadre, village=village).exists():
        raise ValidationError(_("%(c)s %(m)d月%(d)d日 既没有排在%(v)s住夜, 也不驻%(v)s, "
                                "不能记录对其的暗访。") % {
            "c": expected_cadre.name, "v": village.name, "m": night.month, "d": night.day})
    if not present and not note.strip():
        raise ValidationError(_("不在岗时请填写情况说明。"))
    check = SpotCheck(village=village, at=at, night=night, expected_cadre=expected_cadre,
                      stay=stay, present=present, note=note, inspector=by)
    check.full_clean()
    check.save()
    audit.record("spot_check_record", obj=check, user=by, present=present,
                 cadre=expected_cadre.pk, night=night.isoformat())
    transaction.on_commit(lambda: events.spot_check_recorded.send(
        sender=SpotCheck, spot_check_id=check.pk))
    return check
