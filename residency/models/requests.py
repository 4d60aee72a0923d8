"""Requests that need a decision: leave and swaps, on one abstract ApprovalRequest."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.models.people import Cadre
from residency.models.roster import Stay


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    CANCELLED = "cancelled", _("已撤销")


class ApprovalRequest(models.Model):
    """What a leave and a swap request share: a status and who decided it, when and why."""

    Status = RequestStatus

    reason = models.CharField(_("事由"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING, db_index=True)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("审批人"))
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        abstract = True


class Leave(ApprovalRequest):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("事假")
        SICK = "sick", _("病假")
        TRIP = "trip", _("出差")
        TRAINING = "training", _("培训")
        OTHER = "other", _("其他")

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="leaves",
                              verbose_name=_("干部"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    # 补假: approved after its first night had passed (docs/ROSTER.md "补假").
    backdated = models.BooleanField(_("补假"), default=False)

    scope_paths = {"county": "cadre__township__county", "township": "cadre__township",
                   "cadre": "cadre"}

    class Meta:
        verbose_name = _("请假")
        verbose_name_plural = _("请假")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="leave_end_after_start"),
        ]
        indexes = [models.Index(fields=["cadre", "status", "start"])]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.start}~{self.end}"


class Swap(ApprovalRequest):
    """A cadre asks to give a night to a colleague (or exchange); the admin approves."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="swaps",
                             verbose_name=_("原住夜"))
    requested_by = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="swaps_requested",
                                     verbose_name=_("申请人"))
    colleague = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="swaps_offered",
                                  verbose_name=_("替班同事"))
    colleague_stay = models.ForeignKey(Stay, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("交换的住夜"))

    scope_paths = {"county": "stay__village__township__county", "township": "stay__village__township",
                   "cadre": "requested_by"}

    class Meta:
        verbose_name = _("换班")
        verbose_name_plural = _("换班")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.requested_by} -> {self.colleague} {self.stay.night}"
