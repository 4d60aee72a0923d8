"""Factories for the night log: small explicit functions."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from nightlog.models import LinkedHousehold, Problem, ProblemEvent, Visit, VisitRevision
from residency.models import RosterWeek, Stay


def aware(y, m, d, hh=20, mm=0) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hh, mm))


def link(cadre, household, *, since: date = date(2026, 1, 1), until=None) -> LinkedHousehold:
    return LinkedHousehold.objects.create(cadre=cadre, household=household, since=since,
                                          until=until)


def make_visit(cadre, household, *, visited_at=None, created_at=None, situation="家中一切正常",
               requests="", stay=None, **extra) -> Visit:
    visited_at = visited_at or timezone.now() - timedelta(hours=1)
    created_at = created_at or visited_at
    visit = Visit.objects.create(cadre=cadre, household=household, visited_at=visited_at,
                                 created_at=created_at, updated_at=created_at,
                                 situation=situation, requests=requests, stay=stay, **extra)
    VisitRevision.objects.create(visit=visit, number=1, saved_at=created_at, data={})
    return visit


def make_stay(cadre, village, night: date, *, checked_in=False) -> Stay:
    week_start = night - timedelta(days=night.weekday())
    week, _ = RosterWeek.objects.get_or_create(township=village.township, week_start=week_start,
                                               defaults={"status": "published",
                                                         "published_at": timezone.now()})
    return Stay.objects.create(cadre=cadre, village=village, night=night, week=week,
                               checked_in_at=timezone.now() if checked_in else None)


def make_problem(visit, *, owner=None, status="raised", due_date=None, created_at=None,
                 resolved_at=None, summary="帮儿子找份合适的工作") -> Problem:
    created_at = created_at or timezone.now()
    extra = {}
    if status in ("resolved", "confirmed"):
        extra.update(resolved_at=resolved_at or created_at + timedelta(days=2),
                     resolution="已解决", on_the_spot=False)
    if status == "confirmed":
        extra.update(satisfied=True, confirmed_at=extra["resolved_at"])
    problem = Problem.objects.create(
        visit=visit, household=visit.household, village=visit.household.village,
        raised_by=visit.cadre, summary=summary, owner=owner or visit.cadre.user,
        due_date=due_date or timezone.localdate() + timedelta(days=7), status=status,
        created_at=created_at, updated_at=created_at, **extra)
    ProblemEvent.objects.create(problem=problem, at=created_at, to_status="raised")
    return problem
