"""Violations, the penalty ladder's recorded actions, review meetings and ballots, grades
and 金口碑 (rule R3 of DOMAIN.md).

The ladder step itself is never stored: ``appraisal.ladder`` computes it from the register."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.models import Cadre, County, Village

CADRE_SCOPE = {"county": "cadre__township__county", "township": "cadre__township",
               "cadre": "cadre"}


class Grade(models.TextChoices):
    """Chinese civil-servant annual grades."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class RepresentativeKind(models.TextChoices):
    PARTY = "party", _("党员代表")
    RESIDENT = "resident", _("群众代表")


# --- The violation register -------------------------------------------------------------


class Violation(models.Model):
    """未按规定执行住村服务制度: one finding against one cadre."""

    class Source(models.TextChoices):
        SPOT_CHECK = "spot_check", _("暗访不在岗")
        MISSED_CHECKIN = "missed_checkin", _("住夜未签到")
        WEEK_BELOW_MINIMUM = "week_below_minimum", _("当周住夜不足")
        MANUAL = "manual", _("人工登记")

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("待认定")
        CONFIRMED = "confirmed", _("已认定")
        DISMISSED = "dismissed", _("不予认定")

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="violations",
                              verbose_name=_("干部"))
    occurred_on = models.DateField(_("发生日期"), db_index=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    source_id = models.PositiveBigIntegerField(_("来源记录"), null=True, blank=True)
    week_start = models.DateField(_("所在周"), null=True, blank=True)
    reason = models.TextField(_("情况说明"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.CANDIDATE, db_index=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("登记人"))
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("认定人"))
    decision_note = models.TextField(_("认定意见"), blank=True)

    scope_paths = CADRE_SCOPE

    class Meta:
        verbose_name = _("违反住村制度记录")
        verbose_name_plural = _("违反住村制度记录")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            # The sweep may run any number of times: one row per source record ...
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=Q(source__in=["spot_check", "missed_checkin"]),
                name="violation_one_per_source_record"),
            # ... and one per cadre and week for weeks below the minimum.
            models.UniqueConstraint(
                fields=["cadre", "week_start"], condition=Q(source="week_below_minimum"),
                name="violation_one_per_cadre_week"),
            models.CheckConstraint(
                condition=~Q(source__in=["spot_check", "missed_checkin"]) | Q(source_id__isnull=False),
                name="violation_record_source_has_id"),
            models.CheckConstraint(
                condition=~Q(source="week_below_minimum") | Q(week_start__isnull=False),
                name="violation_week_source_has_week"),
            models.CheckConstraint(condition=~Q(source="manual") | ~Q(reason=""),
                                   name="violation_manual_has_reason"),
            models.CheckConstraint(
                condition=Q(status="candidate") | (Q(decided_at__isnull=False) & ~Q(decision_note="")),
                name="violation_decision_has_when_and_why"),
        ]
        indexes = [models.Index(fields=["cadre", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.cadre} {self.occurred_on:%Y-%m-%d} {self.get_source_display()}"

    @property
    def overturned(self) -> bool:
        appeal = getattr(self, "appeal", None)
        return appeal is not None and appeal.outcome == Appeal.Outcome.OVERTURNED

    @property
    def standing(self) -> bool:
        return self.status == self.Status.CONFIRMED and not self.overturned


def standing_q(prefix: str = "") -> Q:
    """Confirmed violations whose appeal (if any) did not overturn them."""
    return Q(**{f"{prefix}status": Violation.Status.CONFIRMED}) & ~Q(
        **{f"{prefix}appeal__outcome": "overturned"})


class Appeal(models.Model):
    """The cadre's one written appeal against a confirmed violation (one-to-one)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待处理")
        UPHELD = "upheld", _("维持认定")
        OVERTURNED = "overturned", _("撤销认定")

    violation = models.OneToOneField(Violation, on_delete=models.CASCADE, related_name="appeal",
                                     verbose_name=_("违规记录"))
    text = models.TextField(_("申诉理由"))
    filed_at = models.DateTimeField(_("申诉时间"), default=timezone.now)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("申诉人"))
    outcome = models.CharField(_("处理结果"), max_length=10, choices=Outcome.choices,
                               default=Outcome.PENDING, db_index=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("处理人"))
    decision_note = models.TextField(_("处理意见"), blank=True)

    scope_paths = {"county": "violation__cadre__township__county",
                   "township": "violation__cadre__township", "cadre": "violation__cadre"}

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="appeal_has_text"),
            models.CheckConstraint(
                condition=Q(outcome="pending") | (Q(decided_at__isnull=False) & ~Q(decision_note="")),
                name="appeal_decision_has_when_and_why"),
        ]

    def __str__(self) -> str:
        return f"{self.violation} {self.get_outcome_display()}"


class PenaltyAction(models.Model):
    """What was done about a ladder step: the 诫勉谈话 held, or the 组织处理 measure."""

    class Kind(models.TextChoices):
        TALK = "talk", _("诫勉谈话")
        HANDLING = "handling", _("组织处理")

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="penalty_actions",
                              verbose_name=_("干部"))
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("日期"))
    held_by = models.CharField(_("谈话人/决定机关"), max_length=100)
    measure = models.TextField(_("处理措施"), blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("登记人"))

    scope_paths = CADRE_SCOPE

    class Meta:
        verbose_name = _("问责措施")
        verbose_name_plural = _("问责措施")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year", "kind"], name="one_penalty_action_per_kind_year"),
            models.CheckConstraint(condition=~Q(kind="handling") | ~Q(measure=""),
                                   name="handling_has_measure"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.year} {self.get_kind_display()}"


# --- The organisation department's tunable rules ---------------------------------------


class AppraisalRules(models.Model):
    """Per county and year: the satisfaction formula's weights and the grading thresholds."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="appraisal_rules",
                               verbose_name=_("县(市、区)"))
    year = models.PositiveSmallIntegerField(_("年度"))
    weight_satisfied = models.DecimalField(_("满意权重"), max_digits=4, decimal_places=2,
                                           default=Decimal("1.00"),
                                           validators=[MinValueValidator(0), MaxValueValidator(1)])
    weight_basic = models.DecimalField(_("基本满意权重"), max_digits=4, decimal_places=2,
                                       default=Decimal("0.50"),
                                       validators=[MinValueValidator(0), MaxValueValidator(1)])
    weight_unsatisfied = models.DecimalField(_("不满意权重"), max_digits=4, decimal_places=2,
                                             default=Decimal("0.00"),
                                             validators=[MinValueValidator(0), MaxValueValidator(1)])
    excellent_min_satisfaction = models.DecimalField(_("优秀:满意度不低于"), max_digits=5,
                                                     decimal_places=1, default=Decimal("90.0"))
    excellent_min_nights_pct = models.PositiveSmallIntegerField(_("优秀:住夜完成率不低于(%)"),
                                                                default=100)
    excellent_min_must_visit_pct = models.PositiveSmallIntegerField(
        _("优秀:五必访走访率不低于(%)"), default=80)
    competent_min_satisfaction = models.DecimalField(_("称职:满意度不低于"), max_digits=5,
                                                     decimal_places=1, default=Decimal("70.0"))
    competent_min_nights_pct = models.PositiveSmallIntegerField(_("称职:住夜完成率不低于(%)"),
                                                                default=90)
    basic_min_satisfaction = models.DecimalField(_("基本称职:满意度不低于"), max_digits=5,
                                                 decimal_places=1, default=Decimal("50.0"))
    basic_min_nights_pct = models.PositiveSmallIntegerField(_("基本称职:住夜完成率不低于(%)"),
                                                            default=70)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    scope_paths = {"county": "county"}

    class Meta:
        verbose_name = _("评议规则")
        verbose_name_plural = _("评议规则")
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="one_rules_per_county_year"),
            models.CheckConstraint(
                condition=Q(excellent_min_satisfaction__gte=models.F("competent_min_satisfaction"))
                & Q(competent_min_satisfaction__gte=models.F("basic_min_satisfaction")),
                name="rules_satisfaction_thresholds_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"


# --- Review meetings (述职评议大会) and ballots --------------------------------------------


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


class Appraisal(models.Model):
    """The final grade the organisation department sets for a cadre and year. Everything
    else on the appraisal page is computed from the records."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="appraisals",
                              verbose_name=_("干部"))
    year = models.PositiveSmallIntegerField(_("年度"))
    final_grade = models.CharField(_("确定等次"), max_length=12, choices=Grade.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    set_at = models.DateTimeField(_("确定时间"), default=timezone.now)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("确定人"))

    scope_paths = CADRE_SCOPE

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        constraints = [models.UniqueConstraint(fields=["cadre", "year"], name="one_appraisal_per_cadre_year")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.year} {self.get_final_grade_display()}"


class GoldenAward(models.Model):
    """金口碑: a winner the organisation department selected for the year."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="golden_awards",
                              verbose_name=_("干部"))
    year = models.PositiveSmallIntegerField(_("年度"))
    selected_at = models.DateTimeField(_("评选时间"), default=timezone.now)
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("评选人"))

    scope_paths = CADRE_SCOPE

    class Meta:
        verbose_name = _("金口碑")
        verbose_name_plural = _("金口碑")
        ordering = ["-year", "cadre__township__code"]
        constraints = [models.UniqueConstraint(fields=["cadre", "year"], name="one_golden_per_cadre_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.cadre}"
