from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from residency import audit
from residency.access.roles import Role, role_of
from residency.models import Cadre, Official, Village

from .. import events, problem_flow
from ..models import Consultation, Household, Problem, ProblemEvent, Visit

User = get_user_model()

FLOW_MESSAGES = {
    "not_from_here": gettext_lazy("当前状态下不能进行此操作。"),
    "not_yours": gettext_lazy("您不是该问题的责任人，不能进行此操作。"),
    "unknown_action": gettext_lazy("未知的操作。"),
    "unknown_status": gettext_lazy("问题状态无效。"),
}


def valid_owner(*, owner, raised_by: Cadre, village: Village) -> bool:
    """The owner is the cadre who raised it or a village cadre (村干部) of its village."""
    if owner is None:
        return False
    if owner.pk == raised_by.user_id:
        return True
    return (role_of(owner) == Role.VILLAGE_CADRE
            and Official.objects.filter(user=owner, village=village).exists())


def _notify_raised(problem: Problem) -> None:
    pid, owner_id, cadre_id = problem.pk, problem.owner_id, problem.raised_by_id
    transaction.on_commit(lambda: events.problem_raised.send(
        sender=Problem, problem_id=pid, owner_id=owner_id, raised_by_id=cadre_id))


def _notify_changed(problem: Problem, from_status: str, by) -> None:
    pid, to_status, owner_id = problem.pk, problem.status, problem.owner_id
    by_id = getattr(by, "pk", None)
    transaction.on_commit(lambda: events.problem_changed.send(
        sender=Problem, problem_id=pid, from_status=from_status, to_status=to_status,
        owner_id=owner_id, by_id=by_id))


@transaction.atomic
def problem_raise(*, raised_by: Cadre, by, summary: str, owner, due_date: date,
                  village: Village, category: str = Problem.Category.OTHER,
                  urgency: str = Problem.Urgency.NORMAL, visit: Visit | None = None,
                  consultation: Consultation | None = None, household: Household | None = None,
                  now: datetime | None = None) -> Problem:
    """Record a problem from a visit or a consultation, owned by the cadre or handed to a
    village cadre of the village."""
    now = now or timezone.now()
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("请填写问题摘要。")})
    owner = owner or raised_by.user
    if not valid_owner(owner=owner, raised_by=raised_by, village=village):
        raise ValidationError({"owner": _("责任人只能是本人或本村的村干部。")})
    if due_date < timezone.localdate(now):
        raise ValidationError({"due_date": _("办结期限不能早于今天。")})
    problem = Problem(raised_by=raised_by, summary=summary, category=category, urgency=urgency,
                      owner=owner, due_date=due_date, village=village, visit=visit,
                      consultation=consultation, household=household, created_at=now,
                      updated_at=now)
    problem.full_clean()
    problem.save()
    note = _("移交给 %(name)s") % {"name": owner.get_full_name() or owner.get_username()} \
        if owner.pk != raised_by.user_id else ""
    ProblemEvent.objects.create(problem=problem, at=now, by=by, from_status="",
                                to_status=problem.status, note=note)
    _notify_raised(problem)
    return problem


def actors_for(*, problem: Problem, user) -> set[str]:
    actors = set()
    if user.pk == problem.owner_id:
        actors.add(problem_flow.OWNER)
    cadre_id = Cadre.objects.filter(user=user).values_list("pk", flat=True).first()
    if cadre_id and cadre_id == problem.raised_by_id:
        actors.add(problem_flow.RAISER)
    if role_of(user) in (Role.TOWNSHIP_ADMIN, Role.SYSTEM_ADMIN):
        actors.add(problem_flow.ADMIN)
    return actors


@transaction.atomic
def problem_transition(*, problem: Problem, action: str, by, note: str = "",
                       resolution: str = "", on_the_spot: bool | None = None,
                       satisfied: bool | None = None, now: datetime | None = None) -> Problem:
    """Move a problem one step (see ``problem_flow``); every step is kept as an event."""
    now = now or timezone.now()
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    try:
        step = problem_flow.next_status(problem.status, action, actors_for(problem=problem, user=by))
    except problem_flow.FlowError as exc:
        raise ValidationError(str(FLOW_MESSAGES.get(exc.code, exc.code))) from exc
    if action == problem_flow.HAND_OVER:
        raise ValidationError(_("移交请使用移交功能。"))
    note = (note or "").strip()
    fields = ["status", "updated_at"]
    if action == problem_flow.RESOLVE:
        resolution = (resolution or "").strip()
        if not resolution:
            raise ValidationError({"resolution": _("请填写如何解决。")})
        if on_the_spot is None:
            raise ValidationError({"on_the_spot": _("请说明是否现场办公解决。")})
        problem.resolution, problem.on_the_spot, problem.resolved_at = resolution, on_the_spot, now
        fields += ["resolution", "on_the_spot", "resolved_at"]
    elif action == problem_flow.CONFIRM:
        if satisfied is None:
            raise ValidationError({"satisfied": _("请选择群众是否满意。")})
        problem.satisfied, problem.confirmed_at = satisfied, now
        fields += ["satisfied", "confirmed_at"]
    elif action == problem_flow.ESCALATE:
        if not note:
            raise ValidationError({"note": _("请说明上报镇(街道)的原因。")})
        problem.escalated_at = now
        fields += ["escalated_at"]
    elif action == problem_flow.REOPEN:
        problem.resolved_at = None
        problem.on_the_spot = None
        fields += ["resolved_at", "on_the_spot"]
    problem.status = step.to_status
    problem.updated_at = now
    problem.full_clean()
    problem.save(update_fields=fields)
    event_note = note or resolution
    ProblemEvent.objects.create(problem=problem, at=now, by=by, from_status=step.from_status,
                                to_status=step.to_status, note=event_note)
    if action in (problem_flow.ESCALATE, problem_flow.CONFIRM):
        audit.record(f"problem_{action}", obj=problem, user=by, satisfied=satisfied)
    _notify_changed(problem, step.from_status, by)
    return problem


@transaction.atomic
def problem_hand_over(*, problem: Problem, owner, by, note: str = "",
                      now: datetime | None = None) -> Problem:
    """Hand an open problem to another owner (the cadre or a village cadre of the village)."""
    now = now or timezone.now()
    problem = Problem.objects.select_for_update().select_related("raised_by", "village").get(
        pk=problem.pk)
    try:
        problem_flow.next_status(problem.status, problem_flow.HAND_OVER,
                                 actors_for(problem=problem, user=by))
    except problem_flow.FlowError as exc:
        raise ValidationError(str(FLOW_MESSAGES.get(exc.code, exc.code))) from exc
    if not valid_owner(owner=owner, raised_by=problem.raised_by, village=problem.village):
        raise ValidationError({"owner": _("责任人只能是提出问题的干部或本村的村干部。")})
    if owner.pk == problem.owner_id:
        raise ValidationError({"owner": _("该问题已由此人负责。")})
    problem.owner = owner
    problem.updated_at = now
    problem.save(update_fields=["owner", "updated_at"])
    name = owner.get_full_name() or owner.get_username()
    text = _("移交给 %(name)s") % {"name": name}
    ProblemEvent.objects.create(problem=problem, at=now, by=by, from_status=problem.status,
                                to_status=problem.status,
                                note=f"{text}{'：' + note.strip() if note.strip() else ''}")
    _notify_changed(problem, problem.status, by)
    return problem
