"""Spot checks (暗访): an inspector or township admin records an unannounced night visit.
An absent cadre makes a candidate violation (``roster_selectors.absent_spot_checks``)."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit, events
from residency.models import Cadre, RosterWeek, SpotCheck, Stay, Village
from residency.nights import night_of


@transaction.atomic
def spot_check_record(*, village: Village, at: datetime, present: bool, note: str = "",
                      expected_cadre: Cadre | None = None, by) -> SpotCheck:
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > timezone.now() + timedelta(minutes=5):
        raise ValidationError(_("检查时间不能晚于现在。"))
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
