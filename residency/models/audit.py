"""The append-only audit log (written by ``residency.audit.recording.record``)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """Append-only: rows are only ever inserted (PostgreSQL enforces it with a trigger)."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("用户"))
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=40, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象"), max_length=40, blank=True)
    object_repr = models.CharField(_("对象说明"), max_length=200, blank=True)
    success = models.BooleanField(_("成功"), default=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("AuditLog is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("AuditLog is append-only")

    @property
    def action_label(self) -> str:
        from residency.audit.labels import action_label

        return action_label(self.action)

    @property
    def object_type_label(self) -> str:
        from residency.audit.labels import object_type_label

        return object_type_label(self.object_type)


# --- The night roster (rule R1) -------------------------------------------------------
