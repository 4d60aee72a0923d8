"""Factories for the appraisal tests: stays, spot checks, violations, meetings."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from appraisal.models import Appeal, ReviewMeeting, Violation
from residency.models import RosterWeek, SpotCheck, Stay

TZ = ZoneInfo("Asia/Shanghai")


def make_week(township, night: date, *, published: bool = True) -> RosterWeek:
    week_start = night - timedelta(days=night.weekday())
    week, _ = RosterWeek.objects.get_or_create(
        township=township, week_start=week_start,
        defaults={"status": "published" if published else "draft",
                  "published_at": timezone.now() if published else None})
    return week


def make_stay(cadre, village, night: date, *, checked_in: bool = False, published: bool = True) -> Stay:
    week = make_week(village.township, night, published=published)
    return Stay.objects.create(
        cadre=cadre, village=village, night=night, week=week,
        checked_in_at=datetime.combine(night, time(21, 0), tzinfo=TZ) if checked_in else None)


def make_spot_check(cadre, village, night: date, inspector, *, present: bool = False) -> SpotCheck:
    return SpotCheck.objects.create(village=village, at=datetime.combine(night, time(22, 30), tzinfo=TZ),
                                    night=night, expected_cadre=cadre, present=present,
                                    inspector=inspector)


def make_violation(cadre, occurred_on: date, *, status: str = "confirmed", by=None,
                   overturned: bool = False, reason: str = "未按规定住夜") -> Violation:
    decided = status != "candidate"
    violation = Violation.objects.create(
        cadre=cadre, occurred_on=occurred_on, source="manual", reason=reason, status=status,
        decided_at=timezone.now() if decided else None, decided_by=by if decided else None,
        decision_note="核实" if decided else "")
    if overturned:
        Appeal.objects.create(violation=violation, text="当晚在村", filed_by=cadre.user,
                              outcome="overturned", decided_at=timezone.now(), decided_by=by,
                              decision_note="核实撤销")
    return violation


def make_meeting(village, *, year: int = 2026, held_on: date | None = None,
                 status: str = "open") -> ReviewMeeting:
    return ReviewMeeting.objects.create(
        village=village, year=year, held_on=held_on or date(year, 11, 20), place="村部会议室",
        attendees="党员代表 10 人,群众代表 20 人", status=status,
        closed_at=timezone.now() if status == "closed" else None)
