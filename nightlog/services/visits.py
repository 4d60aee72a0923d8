from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency.bounded_input import NOTE_MAX
from residency.models import Cadre, Stay
from residency.roster.services.checkin import checkin_night

from ..models import Household, Visit, VisitRevision
from ..nights import LATE_ENTRY_DAYS, is_editable, is_late_entry, write_refusal
from .common import check_household_in_station

CONTENT_FIELDS = ("companions", "situation", "requests", "suggestions", "needs_follow_up")
EDITABLE_FIELDS = ("household", "visited_at", *CONTENT_FIELDS)


def _snapshot(visit: Visit) -> dict:
    return {
        "household_id": visit.household_id,
        "household": str(visit.household),
        "visited_at": timezone.localtime(visit.visited_at).isoformat(timespec="minutes"),
        "stay_night": visit.stay.night.isoformat() if visit.stay_id and visit.stay else "",
        **{f: getattr(visit, f) for f in CONTENT_FIELDS},
    }


class LateEntryNeedsApproval(ValidationError):
    """The visit is older than the late-entry limit: only with the township admin's
    approval (a LateVisitRequest)."""


def late_entry_days() -> int:
    return int(getattr(settings, "VISIT_LATE_ENTRY_DAYS", LATE_ENTRY_DAYS))


def _check_time(visited_at: datetime, now: datetime, *, approved: bool = False) -> None:
    refusal = write_refusal(visited_at, now, late_entry_days())
    if refusal == "future":
        raise ValidationError({"visited_at": _("走访时间不能晚于现在。")})
    if refusal == "needs_approval" and not approved:
        raise LateEntryNeedsApproval({"visited_at": _(
            "这次走访已超过 %(days)d 天，需镇(街道)管理员批准后才能补记：请填写补记原因并提交申请。")
            % {"days": late_entry_days()}})


def _check_content(values: dict) -> None:
    for name in ("situation", "requests", "suggestions"):
        if len(values.get(name) or "") > NOTE_MAX:
            raise ValidationError({name: _("请不要超过 %(n)d 个字。") % {"n": NOTE_MAX}})
    if not any((values.get(f) or "").strip() for f in ("situation", "requests", "suggestions")):
        raise ValidationError(_("请至少填写家庭情况、诉求或建议中的一项。"))


def stay_for(*, cadre: Cadre, visited_at: datetime) -> Stay | None:
    """The cadre's stay on the night the visit was made, by the check-in window's rule
    (a visit at 00:30 belongs to the night before). A daytime visit, outside the window,
    belongs to no stay."""
    night = checkin_night(visited_at)
    if night is None:
        return None
    return Stay.objects.filter(cadre=cadre, night=night).first()


def visit_by_key(*, cadre: Cadre, client_key) -> Visit | None:
    """The visit already saved under ``client_key`` (None if none). A key of another
    cadre's visit is refused: keys are random UUIDs, so that is never an honest repeat."""
    if not client_key:
        return None
    visit = Visit.objects.filter(client_key=client_key).first()
    if visit is not None and visit.cadre_id != cadre.pk:
        raise ValidationError(_("提交标识无效，请刷新页面后重新填写。"))
    if visit is not None:
        visit.already_saved = True
    return visit


@transaction.atomic
def visit_create(*, cadre: Cadre, household: Household, visited_at: datetime, by,
                 companions: str = "", situation: str = "", requests: str = "",
                 suggestions: str = "", needs_follow_up: bool = False,
                 problem: dict | None = None, client_key: uuid.UUID | str | None = None,
                 approved_by=None, now: datetime | None = None) -> Visit:
    """Write a visit into the night log for a household of the cadre's village; optionally
    raise a problem for follow-up in the same step.

    Exactly once: a ``client_key`` already saved returns that visit (``already_saved`` is
    set on it), also when two requests with the key race (the database's unique key
    decides). Written more than 48 hours after the visit it is marked 补记 (late_entry);
    more than VISIT_LATE_ENTRY_DAYS days only with ``approved_by`` (the township admin)."""
    now = now or timezone.now()
    existing = visit_by_key(cadre=cadre, client_key=client_key)
    if existing is not None:
        return existing
    check_household_in_station(cadre, household)
    _check_time(visited_at, now, approved=approved_by is not None)
    values = {"companions": companions.strip(), "situation": situation.strip(),
              "requests": requests.strip(), "suggestions": suggestions.strip()}
    _check_content(values)
    visit = Visit(cadre=cadre, household=household, visited_at=visited_at,
                  stay=stay_for(cadre=cadre, visited_at=visited_at),
                  needs_follow_up=needs_follow_up or bool(problem), created_at=now,
                  updated_at=now, client_key=client_key or uuid.uuid4(),
                  late_entry=is_late_entry(visited_at, now), late_approved_by=approved_by,
                  **values)
    visit.full_clean(validate_unique=False)  # the key's uniqueness: the insert below
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        # A concurrent request with the same key committed first: that is the visit.
        existing = visit_by_key(cadre=cadre, client_key=visit.client_key)
        if existing is None:
            raise
        return existing
    VisitRevision.objects.create(visit=visit, number=1, saved_at=now, saved_by=by,
                                 data=_snapshot(visit), changed_fields=[])
    if problem:
        from .problems import problem_raise

        problem_raise(raised_by=cadre, by=by, visit=visit, household=household,
                      village=household.village, **problem)
    return visit


@transaction.atomic
def visit_update(*, visit: Visit, by, now: datetime | None = None, **changes) -> Visit:
    """Correct a visit within 48 hours of its creation; every saved version is kept."""
    now = now or timezone.now()
    visit = (Visit.objects.select_for_update(of=("self",)).select_related("household", "stay")
             .get(pk=visit.pk))
    if not is_editable(visit.created_at, now):
        raise ValidationError(_("走访记录保存已超过 48 小时，已锁定，不能再修改。"))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    before = _snapshot(visit)
    if "household" in changes and changes["household"].pk != visit.household_id:
        check_household_in_station(visit.cadre, changes["household"])
    if "visited_at" in changes and changes["visited_at"] != visit.visited_at:
        # The corrected time must have been writable (without approval) when the visit was
        # first saved; it decides the 补记 mark again.
        _check_time(changes["visited_at"], visit.created_at)
        visit.late_entry = is_late_entry(changes["visited_at"], visit.created_at)
    for field, value in changes.items():
        setattr(visit, field, value.strip() if isinstance(value, str) else value)
    _check_content({f: getattr(visit, f) for f in ("situation", "requests", "suggestions")})
    visit.stay = stay_for(cadre=visit.cadre, visited_at=visit.visited_at)
    after = _snapshot(visit)
    changed = [k for k in after if after[k] != before[k] and k != "household_id"]
    if not changed:
        return visit
    visit.updated_at = now
    visit.full_clean()
    visit.save(update_fields=[*EDITABLE_FIELDS, "stay", "late_entry", "updated_at"])
    number = visit.revisions.count() + 1
    VisitRevision.objects.create(visit=visit, number=number, saved_at=now, saved_by=by,
                                 data=after, changed_fields=changed)
    return visit
