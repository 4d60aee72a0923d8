"""The upload kept between preview and confirm: the file's bytes and its parsed rows, keyed
to its user.

One pending upload per user; a new upload replaces it, confirming or cancelling deletes
it, and uploads older than a day are swept on the next upload. The client only ever
sends back the random ``token`` of the upload it previewed, never a path.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportUpload(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="import_upload", verbose_name=_("用户"))
    token = models.CharField(_("令牌"), max_length=64, unique=True)
    kind = models.CharField(_("类别"), max_length=30)
    filename = models.CharField(_("文件名"), max_length=200)
    data = models.BinaryField(_("文件内容"))
    # The rows as read once at upload (pipeline.table_to_json); preview and confirm use them.
    table = models.JSONField(_("已读取的行"), null=True, blank=True)
    county = models.ForeignKey("residency.County", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+", verbose_name=_("县(市、区)"))
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        app_label = "residency"
        verbose_name = _("待确认的导入文件")
        verbose_name_plural = _("待确认的导入文件")

    def __str__(self) -> str:
        return self.filename
