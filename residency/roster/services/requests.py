"""Deciding a leave or swap request (both are ``ApprovalRequest``s)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from residency.models import ApprovalRequest, RequestStatus


def request_decide(queryset: QuerySet, pk: int, *, status: str, by, note: str,
                   refusal: str) -> ApprovalRequest:
    """Lock the pending request ``pk`` and record the decision; ``refusal`` (with
    ``%(s)s`` for the current status) is the message when it was decided already."""
    request = queryset.select_for_update().get(pk=pk)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(refusal % {"s": request.get_status_display()})
    request.status = status
    request.decided_at = timezone.now()
    request.decided_by = by
    request.decision_note = note
    request.full_clean()
    request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    return request
