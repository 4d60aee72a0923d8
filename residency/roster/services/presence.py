"""Correcting a stay's presence (更正在岗情况): a township admin states, with a reason, that
the cadre was there (a lost phone, a check-in that failed) or was not (a check-in made
from elsewhere). The correction decides whether the night counts (``residency.roster.presence``);
the check-in itself is kept as it was recorded."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit, events
from residency.models import Presence, RosterWeek, Stay


@transaction.atomic
def stay_presence_correct(*, stay: Stay, presence: str, reason: str, by) -> Stay:
    """Set the stay's presence to "present" or "absent" with the (required) reason, who and
    when; recorded in the audit log with the previous value. Only for published nights that
    have begun (a correction says what happened). Who may correct is the caller's check
    (the township admin's view; appraisal when an incident is dismissed as present)."""
    if presence not in Presence.values:
        raise ValidationError({"presence": _("请选择“在岗”或“不在岗”。")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"presence_reason": _("请填写更正理由。")})
    locked = Stay.objects.select_for_update().select_related("week").get(pk=stay.pk)
    if locked.week.status != RosterWeek.Status.PUBLISHED:
        raise ValidationError(_("本周排班尚未发布, 不能更正在岗情况。"))
    if locked.night > timezone.localdate():
        raise ValidationError(_("这一晚还没有到, 不能更正在岗情况。"))
    previous = {"presence": locked.presence, "reason": locked.presence_reason,
                "checked_in": locked.checked_in_at is not None}
    locked.presence = presence
    locked.presence_reason = reason
    locked.presence_by = by
    locked.presence_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["presence", "presence_reason", "presence_by", "presence_at"])
    audit.record("stay_presence_correct", obj=locked, user=by, presence=presence, reason=reason,
                 night=locked.night.isoformat(), previous=previous)
    stay_id, cadre_id = locked.pk, locked.cadre_id
    transaction.on_commit(lambda: events.stay_presence_corrected.send(
        sender=Stay, stay_id=stay_id, cadre_id=cadre_id, presence=presence))
    return locked
