"""The night roster (rule R1): workday overrides, roster weeks, stays, spot checks,
cadres' weekday preferences and calendar feeds."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.models.people import Cadre
from residency.models.places import County, Township, Village


class WorkdayOverride(models.Model):
    """The organisation department overrides a single date for its county: a typhoon night
    that must be covered (is_workday=True), or a local holiday (False)."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="workday_overrides",
                               verbose_name=_("县(市、区)"))
    date = models.DateField(_("日期"))
    is_workday = models.BooleanField(_("需住夜(工作日)"))
    reason = models.CharField(_("原因"), max_length=100)

    scope_paths = {"county": "county"}

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["county", "date"],
                                               name="one_override_per_county_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class RosterWeek(models.Model):
    """The state of one township's ISO week: draft until the admin publishes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="roster_weeks",
                                 verbose_name=_("镇(街道)"))
    week_start = models.DateField(_("周一"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    gaps = models.JSONField(_("未覆盖说明"), default=list, blank=True)
    planned_at = models.DateTimeField(_("排班时间"), null=True, blank=True)

    scope_paths = {"county": "township__county", "township": "township"}

    class Meta:
        verbose_name = _("排班周")
        verbose_name_plural = _("排班周")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["township", "week_start"], name="one_roster_week"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_week_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.week_start:%Y-%m-%d}"


class PositionStatus(models.TextChoices):
    """What the browser answered when check-in asked for its position."""

    OK = "ok", _("已定位")
    DENIED = "denied", _("拒绝定位")
    UNAVAILABLE = "unavailable", _("无法定位")
    TIMEOUT = "timeout", _("定位超时")
    NONE = "none", _("未提供位置")  # no JavaScript, or an old browser


class Presence(models.TextChoices):
    PRESENT = "present", _("在岗")
    ABSENT = "absent", _("不在岗")


class Stay(models.Model):
    """One cadre staying one night (住夜) at a village office. A stay belongs to its night:
    a check-in after midnight still belongs to the night before."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="stays",
                              verbose_name=_("干部"))
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="stays",
                                verbose_name=_("村(社区)"))
    night = models.DateField(_("夜"), db_index=True)
    week = models.ForeignKey(RosterWeek, on_delete=models.CASCADE, related_name="stays",
                             verbose_name=_("排班周"))
    borrowed = models.BooleanField(_("跨村借调"), default=False)
    pinned = models.BooleanField(_("锁定"), default=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    # Where the phone said it was at check-in (docs/ROSTER.md "签到位置").
    checkin_latitude = models.DecimalField(_("签到纬度"), max_digits=9, decimal_places=6,
                                           null=True, blank=True)
    checkin_longitude = models.DecimalField(_("签到经度"), max_digits=9, decimal_places=6,
                                            null=True, blank=True)
    checkin_accuracy_m = models.PositiveIntegerField(_("定位精度(米)"), null=True, blank=True)
    checkin_distance_m = models.PositiveIntegerField(_("距村部(米)"), null=True, blank=True)
    checkin_far = models.BooleanField(_("远离村部签到"), default=False)
    checkin_position_status = models.CharField(
        _("签到定位"), max_length=12, choices=PositionStatus.choices, blank=True)
    # A township admin's correction of whether the cadre was there (docs/ROSTER.md "更正").
    presence = models.CharField(_("在岗更正"), max_length=8, choices=Presence.choices,
                                blank=True)
    presence_reason = models.TextField(_("更正理由"), blank=True)
    presence_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("更正人"))
    presence_at = models.DateTimeField(_("更正时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    scope_paths = {"county": "village__township__county", "township": "village__township",
                   "village": "village", "cadre": "cadre"}

    class Meta:
        verbose_name = _("住夜")
        verbose_name_plural = _("住夜")
        ordering = ["night", "village"]
        constraints = [
            # Nobody in two places on one night, even under concurrent edits.
            models.UniqueConstraint(fields=["cadre", "night"], name="one_stay_per_cadre_night"),
            # A correction always says who, when and why.
            models.CheckConstraint(
                condition=Q(presence="") | (Q(presence_at__isnull=False) & ~Q(presence_reason="")),
                name="stay_presence_correction_has_when_and_why"),
        ]
        indexes = [models.Index(fields=["village", "night"])]

    def __str__(self) -> str:
        return f"{self.cadre} {self.village} {self.night:%Y-%m-%d}"

    @property
    def stayed(self) -> bool:
        """Whether the night counts as resided: a correction decides, else the check-in."""
        if self.presence:
            return self.presence == Presence.PRESENT
        return self.checked_in_at is not None


class SpotCheck(models.Model):
    """An unannounced night visit (暗访). Absent makes a candidate violation."""

    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="spot_checks",
                                verbose_name=_("村(社区)"))
    at = models.DateTimeField(_("检查时间"))
    night = models.DateField(_("夜"))
    expected_cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="spot_checks",
                                       verbose_name=_("应在岗干部"))
    stay = models.ForeignKey(Stay, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="spot_checks")
    present = models.BooleanField(_("在岗"))
    note = models.TextField(_("情况说明"), blank=True)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="spot_checks", verbose_name=_("检查人"))
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    scope_paths = {"county": "village__township__county", "township": "village__township",
                   "village": "village", "cadre": "expected_cadre"}

    class Meta:
        verbose_name = _("暗访检查")
        verbose_name_plural = _("暗访检查")
        ordering = ["-at"]
        indexes = [models.Index(fields=["night", "present"])]

    def __str__(self) -> str:
        return f"{self.village} {self.at:%Y-%m-%d %H:%M}"


class CadrePreference(models.Model):
    """Weekdays a cadre prefers or avoids (0=Monday ... 6=Sunday), for the planner."""

    cadre = models.OneToOneField(Cadre, on_delete=models.CASCADE, related_name="preference")
    preferred_weekdays = models.JSONField(_("希望住夜的星期"), default=list, blank=True)
    avoided_weekdays = models.JSONField(_("尽量避开的星期"), default=list, blank=True)

    class Meta:
        verbose_name = _("住夜偏好")
        verbose_name_plural = _("住夜偏好")

    def __str__(self) -> str:
        return str(self.cadre)


class CalendarFeed(models.Model):
    """A cadre's private iCalendar feed: the secret token in the URL is the only key.
    Revoking replaces the token, so old subscription links stop working."""

    cadre = models.OneToOneField(Cadre, on_delete=models.CASCADE, related_name="calendar_feed",
                                 verbose_name=_("干部"))
    token = models.CharField(_("令牌"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    scope_paths = {"county": "cadre__township__county", "township": "cadre__township",
                   "cadre": "cadre"}

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self) -> str:
        return str(self.cadre)
