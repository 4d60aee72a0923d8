"""现场办公 (on-the-spot office) recorded on a problem (现场破难)."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit

from ..models import OnSiteOffice, Problem
from .problems import actors_for


@transaction.atomic
def on_site_office_record(*, problem: Problem, by, held_on: date, place: str, attendees: str,
                          outcome: str) -> OnSiteOffice:
    """Record one on-site office session for a problem. Whoever may act on the problem (the
    cadre who raised it, its owner, the township admin) may record one; the date is not in
    the future nor before the problem was raised."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if not actors_for(problem=problem, user=by):
        raise ValidationError(_("您不能为该问题登记现场办公。"))
    today = timezone.localdate()
    if held_on > today:
        raise ValidationError({"held_on": _("办公日期不能晚于今天。")})
    if held_on < timezone.localtime(problem.created_at).date():
        raise ValidationError({"held_on": _("办公日期不能早于问题提出的日期。")})
    office = OnSiteOffice(problem=problem, held_on=held_on, place=(place or "").strip(),
                          attendees=(attendees or "").strip(), outcome=(outcome or "").strip(),
                          recorded_by=by, recorded_at=timezone.now())
    office.full_clean()
    office.save()
    audit.record("on_site_office_record", obj=problem, user=by, held_on=held_on.isoformat())
    return office
