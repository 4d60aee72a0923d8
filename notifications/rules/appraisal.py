"""Reminders about the appraisal (rule R3): the village's review meeting, a week and a
day before, to the cadres stationed in that village; and the meeting season: from
NOTIFICATIONS_MEETING_SEASON_START (1 November) every week, the township admins of
villages that have not held the year's meeting."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from residency.models import Station

from .. import conf
from ..kinds import Kind
from ..reminder import Reminder
from ..timing import Occasion
from .common import SourceUnavailable, link, md, township_admins


def _meeting_model():
    try:
        from appraisal.models import ReviewMeeting
    except ImportError as exc:
        raise SourceUnavailable("appraisal.ReviewMeeting") from exc
    names = {f.name for f in ReviewMeeting._meta.get_fields()}
    date_field = "held_on" if "held_on" in names else "date"
    if date_field not in names or "village" not in names:
        raise SourceUnavailable("appraisal.ReviewMeeting.held_on/village")
    return ReviewMeeting, date_field


def review_meeting(*, occasion: Occasion, at: datetime) -> list[Reminder]:
    ReviewMeeting, date_field = _meeting_model()
    offsets = {occasion.day + timedelta(days=d): d for d in conf.config().review_days_before}
    qs = ReviewMeeting.objects.filter(**{f"{date_field}__in": list(offsets)}).select_related(
        "village")
    if "status" in {f.name for f in ReviewMeeting._meta.get_fields()}:
        qs = qs.exclude(status="closed")
    meetings = list(qs)
    cadres: dict[int, set[int]] = defaultdict(set)
    for village_id, user_id in Station.objects.filter(
            village_id__in={m.village_id for m in meetings}, end__isnull=True,
            cadre__active=True).values_list("village_id", "cadre__user_id"):
        cadres[village_id].add(user_id)
    reminders = []
    for m in meetings:
        held = getattr(m, date_field)
        url = link(("appraisal:meeting-detail", m.pk), ("appraisal:reviewmeeting-detail", m.pk),
                   ("home",))
        text = _("%(village)s述职评议大会将于 %(date)s 召开（还有 %(days)s 天），请准备述职。") % {
            "village": m.village.name, "date": md(held), "days": offsets[held]}
        place = getattr(m, "place", "")
        if place:
            text += _("地点：%(place)s。") % {"place": place}
        for user_id in sorted(cadres[m.village_id]):
            reminders.append(Reminder(
                recipient_id=user_id, kind=Kind.REVIEW_MEETING, subject=f"meeting:{m.pk}",
                date=occasion.day, text=text, link=url, expires_at=occasion.expires))
    return reminders


def meeting_season(*, occasion: Occasion, at: datetime) -> list[Reminder]:
    """One reminder a township admin a week: the villages of the township whose review
    meeting of the year has not been held (none arranged, or arranged later)."""
    try:
        from appraisal.selectors.season import villages_without_meeting
    except ImportError as exc:
        raise SourceUnavailable("appraisal.selectors.season") from exc
    rows = villages_without_meeting(year=occasion.day.year, today=occasion.day)
    by_township: dict[int, list] = defaultdict(list)
    for row in rows:
        by_township[row.village.township_id].append(row)
    admins = township_admins(by_township)
    url = link(("appraisal:meeting-season",), ("appraisal:meeting-list",), ("home",))
    reminders = []
    for township_id, pending in sorted(by_township.items()):
        names = "、".join(r.village.name for r in pending[:10])
        if len(pending) > 10:
            names += _("等")
        unarranged = sum(r.meeting is None for r in pending)
        text = _("本镇(街道)还有 %(n)s 个村(社区)未召开 %(year)s 年度述职评议大会"
                 "(其中 %(m)s 个尚未安排):%(names)s。请在年底前组织召开。") % {
            "n": len(pending), "year": occasion.day.year, "m": unarranged, "names": names}
        for user_id in admins.get(township_id, []):
            reminders.append(Reminder(
                recipient_id=user_id, kind=Kind.MEETING_SEASON, subject=f"season:{township_id}",
                date=occasion.day, text=text, link=url, expires_at=occasion.expires))
    return reminders
