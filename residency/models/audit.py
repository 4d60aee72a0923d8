"""The append-only audit log (written by ``residency.audit.recording.record``)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.models.places import County


class AuditLog(models.Model):
    """Append-only: rows are only ever inserted; the database refuses UPDATE, DELETE and
    TRUNCATE (triggers on PostgreSQL and SQLite; ``docs/OPERATIONS.md`` for the roles), except
    detaching a deleted user and deleting rows past the 180-day retention."""

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
    # The county the row belongs to, fixed when it is written (residency/audit/county.py), so
    # that the organisation department reads every row of its county, anonymous ones too.
    # No database constraint and nothing done on delete: a purged county keeps its rows.
    county = models.ForeignKey(County, on_delete=models.DO_NOTHING, db_constraint=False,
                               null=True, blank=True, related_name="+",
                               verbose_name=_("县(市、区)"))

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
