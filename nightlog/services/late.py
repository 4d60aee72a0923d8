"""补记 beyond the late-entry limit: the cadre asks (a LateVisitRequest holding the whole
visit), the township admin approves (the visit is written then, marked 补记, with who
approved it) or refuses. Within the limit no request is needed (``visit_create``)."""
from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from residency.models import Cadre, RequestStatus
from residency.roster.services.requests import request_decide

from ..models import Household, LateVisitRequest, Visit
from ..nights import write_refusal
from .common import check_household_in_station
from .visits import _check_content, late_entry_days, visit_create

CONTENT_KEYS = ("companions", "situation", "requests", "suggestions", "needs_follow_up")


@transaction.atomic
def late_visit_request_create(*, cadre: Cadre, household: Household, visited_at: datetime,
                              reason: str, client_key: uuid.UUID | str | None = None,
                              now: datetime | None = None, **content) -> LateVisitRequest:
    """Ask the township admin to let a visit older than the limit be written. The same
    ``client_key`` asked twice is the same request."""
    now = now or timezone.now()
    unknown = set(content) - set(CONTENT_KEYS)
    if unknown:
        raise TypeError(f"not visit content: {sorted(unknown)}")
    if client_key:
        existing = LateVisitRequest.objects.filter(client_key=client_key, cadre=cadre).first()
        if existing is not None:
            return existing
        if Visit.objects.filter(client_key=client_key).exists():
            raise ValidationError(_("这次走访已经保存过，不需要申请补记。"))
    check_household_in_station(cadre, household)
    refusal = write_refusal(visited_at, now, late_entry_days())
    if refusal == "future":
        raise ValidationError({"visited_at": _("走访时间不能晚于现在。")})
    if refusal is None:
        raise ValidationError({"visited_at": _(
            "%(days)d 天以内的走访可以直接保存(补记)，不需要申请。") % {"days": late_entry_days()}})
    if not (reason or "").strip():
        raise ValidationError({"late_reason": _("请填写补记原因。")})
    values = {k: (v.strip() if isinstance(v, str) else bool(v)) for k, v in content.items()}
    _check_content(values)
    request = LateVisitRequest(cadre=cadre, household=household, visited_at=visited_at,
                               reason=reason.strip()[:200], requested_at=now, content=values,
                               client_key=client_key or uuid.uuid4())
    request.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        existing = LateVisitRequest.objects.filter(client_key=request.client_key,
                                                   cadre=cadre).first()
        if existing is None:
            raise
        return existing
    return request


@transaction.atomic
def late_visit_request_decide(*, queryset: QuerySet, pk: int, approve: bool, by,
                              note: str = "", now: datetime | None = None) -> LateVisitRequest:
    """Approve (the visit is written now, marked 补记, ``late_approved_by``) or refuse a
    pending request of ``queryset`` (the decider's scope)."""
    request = request_decide(
        queryset, pk, status=RequestStatus.APPROVED if approve else RequestStatus.REJECTED,
        by=by, note=(note or "").strip()[:200], refusal=_("该补记申请已处理(%(s)s)。"))
    if approve:
        request = LateVisitRequest.objects.select_related("cadre__user", "household").get(
            pk=request.pk)
        visit = visit_create(cadre=request.cadre, household=request.household,
                             visited_at=request.visited_at, by=request.cadre.user,
                             client_key=request.client_key, approved_by=by, now=now,
                             **request.content)
        request.visit = visit
        request.save(update_fields=["visit"])
    return request
