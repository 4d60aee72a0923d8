"""One export run in the background (``residency.exports``): who asked, in which role and
scope, its progress (rows done / total) and the file it wrote to the ``default`` storage.

The scope is stored as it was when the job was started (``scope`` JSON), so the worker
exports exactly what the requester could read, and a download link is good for the
requester and for whoever has the same role and the same scope (``scope_key``)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("已过期")

    kind = models.CharField(_("类别"), max_length=40)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="export_jobs", verbose_name=_("申请人"))
    role = models.CharField(_("角色"), max_length=32)
    scope = models.JSONField(_("范围"), default=dict, blank=True)
    # "county:3", "township:5,6", "all": who else (same role) may download the file.
    scope_key = models.CharField(_("范围标识"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    rows_done = models.PositiveIntegerField(_("已完成行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    file = models.CharField(_("文件"), max_length=300, blank=True)
    filename = models.CharField(_("下载文件名"), max_length=200, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("链接失效时间"), null=True, blank=True)

    class Meta:
        app_label = "residency"
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_requester"),
            models.Index(fields=["status", "expires_at"], name="exportjob_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)

    def expired(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.EXPIRED or (
            self.expires_at is not None and self.expires_at <= now)
