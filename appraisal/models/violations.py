"""The violation register (rule R3): incidents (one per cadre-night), their signals as
evidence, appeals, and the actions the penalty ladder calls for."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models.common import CADRE_SCOPE
from residency.models import Cadre


class Violation(models.Model):
    """未按规定执行住村服务制度: one incident, the ladder's "一次".

    A night-based incident is one rostered workday night that the cadre did not reside:
    exactly one row per cadre and night, whatever number of signals (``ViolationSignal``:
    no check-in, a spot check that found him absent, a check-in far from the village office)
    point at it. It is decided once and counted once. ``merged_into`` marks the rows that the
    data migration (appraisal 0003) folded into the night's incident: they keep their own decision,
    appeal and history but no longer count."""

    class Source(models.TextChoices):
        NIGHT = "night", _("住夜缺勤")
        MANUAL = "manual", _("人工登记")
        # Before incidents: one per week the cadre checked in on no night. Kept only for
        # rows a person had already decided; never created any more (now a roster gap).
        WEEK_BELOW_MINIMUM = "week_below_minimum", _("当周住夜不足(旧记录)")

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("待认定")
        CONFIRMED = "confirmed", _("已认定")
        DISMISSED = "dismissed", _("不予认定")

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="violations",
                              verbose_name=_("干部"))
    occurred_on = models.DateField(_("发生日期"), db_index=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
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
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged", verbose_name=_("已并入"))

    scope_paths = CADRE_SCOPE

    class Meta:
        verbose_name = _("违反住村制度记录")
        verbose_name_plural = _("违反住村制度记录")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            # One incident per cadre and night, however many signals point at it.
            models.UniqueConstraint(
                fields=["cadre", "occurred_on"],
                condition=Q(merged_into__isnull=True) & ~Q(source="week_below_minimum"),
                name="violation_one_per_cadre_night"),
            models.UniqueConstraint(
                fields=["cadre", "week_start"], condition=Q(source="week_below_minimum"),
                name="violation_one_per_cadre_week"),
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
        return (self.status == self.Status.CONFIRMED and not self.overturned
                and self.merged_into_id is None)

    @property
    def register_status(self) -> str:
        """candidate / confirmed / dismissed / overturned (the export's ``status``)."""
        return "overturned" if self.overturned else self.status


def standing_q(prefix: str = "") -> Q:
    """Confirmed incidents whose appeal (if any) did not overturn them and that were not
    merged into another incident of the same night."""
    return (Q(**{f"{prefix}status": Violation.Status.CONFIRMED})
            & Q(**{f"{prefix}merged_into__isnull": True})
            & ~Q(**{f"{prefix}appeal__outcome": "overturned"}))


class ViolationSignal(models.Model):
    """One piece of evidence pointing at an incident's night, from one source record."""

    class Kind(models.TextChoices):
        MISSED_CHECKIN = "missed_checkin", _("住夜未签到")
        SPOT_CHECK_ABSENT = "spot_check_absent", _("暗访不在岗")
        FAR_CHECKIN = "far_checkin", _("签到位置距村部过远")

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="signals",
                                  verbose_name=_("违规记录"))
    kind = models.CharField(_("线索类型"), max_length=20, choices=Kind.choices)
    # The Stay (missed_checkin, far_checkin) or SpotCheck (spot_check_absent) id.
    source_id = models.PositiveBigIntegerField(_("来源记录"))
    description = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("发现时间"), default=timezone.now)

    scope_paths = {"county": "violation__cadre__township__county",
                   "township": "violation__cadre__township", "cadre": "violation__cadre"}

    class Meta:
        verbose_name = _("违规线索")
        verbose_name_plural = _("违规线索")
        ordering = ["violation", "kind", "source_id"]
        constraints = [
            # The sweep may run any number of times: one signal per source record.
            models.UniqueConstraint(fields=["kind", "source_id"], name="violation_signal_one_per_record"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.source_id}"


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
