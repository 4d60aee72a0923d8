"""Review meetings (述职评议大会): cadres' reports, paper tallies, ballot codes and ballots."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models.common import CADRE_SCOPE, Rating, RepresentativeKind
from residency.models import Cadre, Village


class ReviewMeeting(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="review_meetings",
                                verbose_name=_("村(社区)"))
    year = models.PositiveSmallIntegerField(_("年度"))
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=100)
    attendees = models.TextField(_("参会人员"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")
    close_reason = models.TextField(
        _("述职或测评不全仍结束的原因"), blank=True,
        help_text=_("有干部未述职或未获测评时,组织者须说明原因才能结束。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    scope_paths = {"county": "village__township__county", "township": "village__township",
                   "village": "village"}

    class Meta:
        verbose_name = _("述职评议大会")
        verbose_name_plural = _("述职评议大会")
        ordering = ["-year", "village__township__code", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="one_review_meeting_per_village_year"),
            models.CheckConstraint(condition=Q(status="open") | Q(closed_at__isnull=False),
                                   name="closed_meeting_has_closed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


def report_upload_to(instance, filename: str) -> str:
    """An unguessable name: 述职 files are personal documents, served only through
    ``appraisal:report-file`` (login, scope, audit), never from a public /media/ URL."""
    import os
    import secrets

    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"appraisal/reports/{instance.meeting.year}/{secrets.token_urlsafe(24)}{extension}"


class CadreReport(models.Model):
    """One cadre's 述职 at the meeting: text and an optional file."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="reports",
                                verbose_name=_("评议大会"))
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="review_reports",
                              verbose_name=_("干部"))
    text = models.TextField(_("述职内容"))
    file = models.FileField(_("附件"), upload_to=report_upload_to, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    scope_paths = CADRE_SCOPE

    class Meta:
        verbose_name = _("述职")
        verbose_name_plural = _("述职")
        constraints = [models.UniqueConstraint(fields=["meeting", "cadre"], name="one_report_per_cadre_meeting")]

    def __str__(self) -> str:
        return f"{self.meeting} {self.cadre}"


class PaperTally(models.Model):
    """Paper ballots counted by the township admin: one row per cadre and representative kind."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="tallies",
                                verbose_name=_("评议大会"))
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="paper_tallies",
                              verbose_name=_("干部"))
    kind = models.CharField(_("代表类别"), max_length=10, choices=RepresentativeKind.choices)
    satisfied = models.PositiveIntegerField(_("满意"), default=0)
    basic = models.PositiveIntegerField(_("基本满意"), default=0)
    unsatisfied = models.PositiveIntegerField(_("不满意"), default=0)

    scope_paths = CADRE_SCOPE

    class Meta:
        verbose_name = _("纸质票统计")
        verbose_name_plural = _("纸质票统计")
        constraints = [models.UniqueConstraint(fields=["meeting", "cadre", "kind"],
                                               name="one_tally_per_cadre_kind")]

    def __str__(self) -> str:
        return f"{self.meeting} {self.cadre} {self.get_kind_display()}"


class BallotCode(models.Model):
    """A single-use code printed for the meeting. Only the SHA-256 of the code is stored,
    and only whether it was used (no time), so it cannot be tied to the ballot it cast."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="codes",
                                verbose_name=_("评议大会"))
    kind = models.CharField(_("代表类别"), max_length=10, choices=RepresentativeKind.choices)
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(_("已使用"), default=False)

    class Meta:
        verbose_name = _("投票码")
        verbose_name_plural = _("投票码")

    def __str__(self) -> str:
        return f"{self.meeting} {self.get_kind_display()}"


class Ballot(models.Model):
    """One anonymous online ballot. It records the meeting and the kind of representative,
    never the code that cast it nor when."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="ballots",
                                verbose_name=_("评议大会"))
    kind = models.CharField(_("代表类别"), max_length=10, choices=RepresentativeKind.choices)

    class Meta:
        verbose_name = _("评议票")
        verbose_name_plural = _("评议票")

    def __str__(self) -> str:
        return f"{self.meeting} #{self.pk}"


class BallotMark(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="ballot_marks")
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [models.UniqueConstraint(fields=["ballot", "cadre"], name="one_mark_per_cadre_ballot")]

    def __str__(self) -> str:
        return f"{self.ballot_id} {self.cadre_id} {self.rating}"


# --- Annual appraisal and 金口碑 -------------------------------------------------------------
