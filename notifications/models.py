"""Notifications (one row per recipient and reminder), their deliveries per channel, and
each user's choices. The database is the source of truth; Celery only triggers.

The dedup key of a reminder is ``(recipient, kind, subject, date)``: a UNIQUE constraint,
so a sweep run twice, a retried task or two racing workers can never create it twice.
Each external channel (e-mail, SMS) gets one ``Delivery`` row, also unique, whose status
records what was sent, so a retry resends only what failed."""
from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import Kind


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("接收人"))
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    # What the reminder is about, e.g. "stay:42"; with ``date`` it makes the dedup key.
    subject = models.CharField(_("事项"), max_length=64)
    date = models.DateField(_("日期"))
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    # After this moment the reminder is pointless (the night has passed): not sent.
    expires_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # Set by the writer before INSERT ... ON CONFLICT DO NOTHING, to learn which rows it won.
    token = models.UUIDField(unique=True, editable=False)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "subject", "date"],
                                    name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread"),
            models.Index(fields=["kind", "date"], name="notification_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.subject} {self.date}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")
    DINGTALK = "dingtalk", _("浙政钉")


class DigestItem(models.Model):
    """One thing that is due (an overdue problem, incomplete ties, a pending approval...)
    listed in a person's digest. Its key is the reminder's own key, unique, so a sweep run
    twice or two racing sweeps list it once: the digest is one notification per person and
    sweep, the items keep exactly-once per reminder."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="digest_items", verbose_name=_("接收人"))
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    subject = models.CharField(_("事项"), max_length=64)
    date = models.DateField(_("日期"))
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    # The subject of the digest notification (same recipient) that lists it:
    # "sweep:<local moment>", one digest per person and sweep.
    sweep = models.CharField(_("汇总批次"), max_length=64)
    token = models.UUIDField(unique=True, editable=False)

    class Meta:
        verbose_name = _("汇总事项")
        verbose_name_plural = _("汇总事项")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "subject", "date"],
                                    name="digest_item_once_per_key"),
        ]
        indexes = [models.Index(fields=["recipient", "sweep"], name="digest_item_by_sweep")]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.subject} {self.date}"


class Delivery(models.Model):
    """One external channel of one notification. Status moves
    pending -> sending -> sent | failed (retried) | skipped (not to be sent) | gave_up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败，待重试")
        SKIPPED = "skipped", _("不发送")
        GAVE_UP = "gave_up", _("已放弃")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                     related_name="deliveries", verbose_name=_("消息"))
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    # Quiet hours defer an SMS to this moment.
    not_before = models.DateTimeField(_("最早发送时间"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=254, blank=True)
    external_id = models.CharField(_("网关编号"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"],
                                    name="one_delivery_per_channel"),
        ]
        indexes = [
            models.Index(fields=["not_before"], name="delivery_due",
                         condition=Q(status__in=["pending", "failed", "sending"])),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


class NotificationPreference(models.Model):
    """A user's choice for one kind; no row means the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", verbose_name=_("用户"))
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    email = models.BooleanField(_("邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class QuietHours(models.Model):
    """No SMS between ``start`` and ``end`` (across midnight when end < start), unless
    urgent. No row means the default 22:00-07:00."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="quiet_hours", verbose_name=_("用户"))
    enabled = models.BooleanField(_("启用免打扰"), default=True)
    start = models.TimeField(_("开始"), default=time(22, 0))
    end = models.TimeField(_("结束"), default=time(7, 0))

    class Meta:
        verbose_name = _("免打扰时段")
        verbose_name_plural = _("免打扰时段")

    def __str__(self) -> str:
        return f"{self.user_id} {self.start:%H:%M}-{self.end:%H:%M}"


class SweepMark(models.Model):
    """A once-per-occasion rule (daily or weekly snapshot) finished for its occasion, so
    later sweeps in the same window skip it instead of recomputing it every few minutes.
    Written only after the rule's notifications are committed; a failed run leaves no mark
    and the next sweep tries again."""

    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    day = models.DateField(_("日期"))
    done_at = models.DateTimeField(_("完成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("提醒批次")
        verbose_name_plural = _("提醒批次")
        constraints = [
            models.UniqueConstraint(fields=["kind", "day"], name="one_sweep_mark_per_occasion"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"
