"""Reminders about the night log (rule R2): a night stayed with no visit logged, overdue
problems, too few household ties or must-visit households unvisited this quarter.

The night-log models are read through ``_models()`` so that these rules report
``SourceUnavailable`` (instead of breaking every sweep) while that app is incomplete."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from residency.models import Cadre, RosterWeek, Stay

from .. import conf
from ..kinds import Kind
from ..reminder import Reminder
from ..timing import Occasion, overdue_reminder_due
from .common import SourceUnavailable, link, md, township_admins

MIN_LINKED = 5
OPEN_PROBLEM = ("raised", "in_progress")
ESCALATE_AFTER = timedelta(days=7)


def _models():
    try:
        from nightlog import models
    except ImportError as exc:  # pragma: no cover - the app is always installed
        raise SourceUnavailable("nightlog") from exc
    missing = [name for name in ("Visit", "Problem", "LinkedHousehold")
               if not hasattr(models, name)]
    if missing:
        raise SourceUnavailable("nightlog." + ", nightlog.".join(missing))
    return models


def _night_bounds(night: date) -> tuple[datetime, datetime]:
    """The moments that belong to ``night``: from the end of the previous night's
    check-in window to the end of this one's (a visit after midnight still counts)."""
    cfg = conf.config()
    ends = cfg.night_ends
    return (datetime.combine(night, ends, tzinfo=cfg.tz),
            datetime.combine(night + timedelta(days=1), ends, tzinfo=cfg.tz))


def no_visit_logged(*, occasion: Occasion, at: datetime) -> list[Reminder]:
    """09:00 the next morning: a cadre who stayed (checked in) and logged no visit that
    night (neither a visit linked to the stay nor one dated in the night)."""
    models = _models()
    start, end = _night_bounds(occasion.day)
    visits = models.Visit.objects.filter(cadre_id=OuterRef("cadre_id")).filter(
        Q(stay_id=OuterRef("pk")) | Q(visited_at__gte=start, visited_at__lt=end))
    stays = (Stay.objects.filter(night=occasion.day, week__status=RosterWeek.Status.PUBLISHED,
                                 checked_in_at__isnull=False)
             .filter(~Exists(visits)).select_related("village", "cadre"))
    url = link(("nightlog:visit-create",), ("nightlog:visit-list",), ("home",))
    return [Reminder(recipient_id=s.cadre.user_id, kind=Kind.NO_VISIT_LOGGED,
                     subject=f"stay:{s.pk}", date=s.night, link=url,
                     expires_at=occasion.expires,
                     text=_("您 %(night)s 晚在%(village)s住夜，还没有记民情夜记，请补记走访情况。")
                     % {"night": md(s.night), "village": s.village.name})
            for s in stays]


def _problem_title(problem) -> str:
    for attr in ("title", "summary", "description"):
        value = getattr(problem, attr, "")
        if value:
            return str(value)[:40]
    return str(problem)[:40]


def _problem_link(problem) -> str:
    return link(("nightlog:problem-detail", problem.pk), ("nightlog:problem-list",), ("home",))


def problem_overdue(*, occasion: Occasion, at: datetime) -> list[Reminder]:
    """Daily: the owner of every open problem past its due date, on days 1, 3 and 7
    past it, then weekly (``timing.overdue_reminder_due``), listed in the owner's digest."""
    models = _models()
    problems = models.Problem.objects.filter(
        status__in=OPEN_PROBLEM, due_date__lt=occasion.day, owner__isnull=False
    ).select_related("village")
    return [Reminder(recipient_id=p.owner_id, kind=Kind.PROBLEM_OVERDUE,
                     subject=f"problem:{p.pk}", date=occasion.day, link=_problem_link(p),
                     expires_at=occasion.expires,
                     text=_("%(village)s的问题“%(title)s”已过办结期限（%(due)s）%(days)s 天，请尽快办理。")
                     % {"village": p.village.name, "title": _problem_title(p),
                        "due": md(p.due_date), "days": (occasion.day - p.due_date).days})
            for p in problems if overdue_reminder_due((occasion.day - p.due_date).days)]


def problem_overdue_escalated(*, at: datetime) -> list[Reminder]:
    """Once per problem: 7 days past its due date and still open -> the township admins."""
    models = _models()
    today = at.astimezone(conf.config().tz).date()
    problems = list(models.Problem.objects.filter(
        status__in=OPEN_PROBLEM, due_date__lte=today - ESCALATE_AFTER
    ).select_related("village", "owner"))
    admins = township_admins({p.village.township_id for p in problems})
    reminders = []
    for p in problems:
        owner = p.owner.get_full_name() or p.owner.get_username() if p.owner else "-"
        for admin_id in admins.get(p.village.township_id, []):
            reminders.append(Reminder(
                recipient_id=admin_id, kind=Kind.PROBLEM_OVERDUE_ESCALATED,
                subject=f"problem:{p.pk}", date=p.due_date + ESCALATE_AFTER,
                link=_problem_link(p),
                text=_("%(village)s的问题“%(title)s”已逾期 7 天以上（期限 %(due)s），负责人：%(owner)s。")
                % {"village": p.village.name, "title": _problem_title(p),
                   "due": md(p.due_date), "owner": owner}))
    return reminders


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def ties_incomplete(*, occasion: Occasion, at: datetime) -> list[Reminder]:
    """Weekly: cadres with fewer than 5 linked households, or linked must-visit households
    they have not visited this quarter."""
    models = _models()
    day = occasion.day
    cadres = dict(Cadre.objects.filter(active=True, stations__end__isnull=True)
                  .values_list("pk", "user_id").distinct())
    open_links = Q(until__isnull=True) | Q(until__gte=day)
    linked: dict[int, set[int]] = defaultdict(set)
    must_visit: dict[int, set[int]] = defaultdict(set)
    for cadre_id, household_id, categories in models.LinkedHousehold.objects.filter(
            open_links, cadre_id__in=cadres, since__lte=day).values_list(
            "cadre_id", "household_id", "household__categories"):
        linked[cadre_id].add(household_id)
        if categories:
            must_visit[cadre_id].add(household_id)
    start = datetime.combine(_quarter_start(day), time(0), tzinfo=conf.config().tz)
    visited: dict[int, set[int]] = defaultdict(set)
    for cadre_id, household_id in models.Visit.objects.filter(
            cadre_id__in=cadres, visited_at__gte=start, visited_at__lte=at).values_list(
            "cadre_id", "household_id").distinct():
        visited[cadre_id].add(household_id)
    url = link(("nightlog:link-list",), ("nightlog:household-list",), ("home",))
    reminders = []
    for cadre_id, user_id in sorted(cadres.items()):
        parts = []
        if len(linked[cadre_id]) < MIN_LINKED:
            parts.append(_("您目前联系 %(n)s 户农户，每位干部至少联系 5 户。")
                         % {"n": len(linked[cadre_id])})
        unvisited = must_visit[cadre_id] - visited[cadre_id]
        if unvisited:
            parts.append(_("您联系的必访户中有 %(n)s 户本季度还没有走访。") % {"n": len(unvisited)})
        if parts:
            reminders.append(Reminder(
                recipient_id=user_id, kind=Kind.TIES_INCOMPLETE, subject=f"cadre:{cadre_id}",
                date=day, text="".join(parts), link=url, expires_at=occasion.expires))
    return reminders
