"""Places and people: County -> Township -> Village, cadres and their stations,
officials' scopes and the append-only audit log."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    """A county-level city or district. One deployment serves many counties."""

    code = models.CharField(_("代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)

    scope_paths = {"county": "pk"}

    class Meta:
        verbose_name = _("县(市、区)")
        verbose_name_plural = _("县(市、区)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Township(models.Model):
    class Kind(models.TextChoices):
        TOWN = "town", _("镇")
        SUBDISTRICT = "subdistrict", _("街道")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="townships",
                               verbose_name=_("县(市、区)"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.TOWN)
    code = models.CharField(_("代码"), max_length=12)
    name = models.CharField(_("名称"), max_length=50)

    scope_paths = {"county": "county", "township": "pk"}

    class Meta:
        verbose_name = _("镇(街道)")
        verbose_name_plural = _("镇(街道)")
        ordering = ["county__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="township_code_unique_in_county"),
        ]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("行政村")
        COMMUNITY = "community", _("社区")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="villages",
                                 verbose_name=_("镇(街道)"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices,
                            default=Kind.VILLAGE)
    code = models.CharField(_("代码"), max_length=12)
    name = models.CharField(_("名称"), max_length=50)
    # Where the village office (村部) stands, in decimal degrees (WGS-84, as phones report):
    # a check-in's distance is measured from here.
    latitude = models.DecimalField(
        _("村部纬度"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))])
    longitude = models.DecimalField(
        _("村部经度"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))])

    scope_paths = {"county": "township__county", "township": "township", "village": "pk"}

    class Meta:
        verbose_name = _("村(社区)")
        verbose_name_plural = _("村(社区)")
        ordering = ["township__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "code"],
                                    name="village_code_unique_in_township"),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)
                   & Q(latitude__gte=-90) & Q(latitude__lte=90)
                   & Q(longitude__gte=-180) & Q(longitude__lte=180)),
                name="village_office_position_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Cadre(models.Model):
    """A township civil servant (住村干部), one-to-one with a login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="cadre", verbose_name=_("账号"))
    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="cadres",
                                 verbose_name=_("镇(街道)"))
    name = models.CharField(_("姓名"), max_length=30)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    active = models.BooleanField(_("在岗"), default=True)

    scope_paths = {"county": "township__county", "township": "township", "cadre": "pk",
                   "village": "stations__village"}

    class Meta:
        verbose_name = _("住村干部")
        verbose_name_plural = _("住村干部")
        ordering = ["township__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""),
                                    name="cadre_phone_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    """Where a cadre is stationed (住村), kept with dates so history survives a transfer."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="stations",
                              verbose_name=_("干部"))
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="stations",
                                verbose_name=_("驻村"))
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    scope_paths = {"county": "village__township__county", "township": "village__township",
                   "village": "village", "cadre": "cadre"}

    class Meta:
        verbose_name = _("驻村安排")
        verbose_name_plural = _("驻村安排")
        ordering = ["cadre", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["cadre"], condition=Q(end__isnull=True),
                                    name="one_open_station_per_cadre"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="station_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} @ {self.village}"


class Official(models.Model):
    """The scope of a non-cadre login: a township admin's township, an inspector's
    villages, the organisation department's county. Province viewers need no row."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="official", verbose_name=_("账号"))
    name = models.CharField(_("姓名"), max_length=30)
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="officials", verbose_name=_("县(市、区)"))
    township = models.ForeignKey(Township, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="officials", verbose_name=_("镇(街道)"))
    village = models.ForeignKey(Village, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="village_cadres", verbose_name=_("所在村"),
                                help_text=_("村干部所在的村"))
    inspected_villages = models.ManyToManyField(Village, blank=True, related_name="inspectors",
                                                verbose_name=_("督查的村"))
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("管理人员")
        verbose_name_plural = _("管理人员")

    def __str__(self) -> str:
        return self.name


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
        from .audit_labels import action_label

        return action_label(self.action)

    @property
    def object_type_label(self) -> str:
        from .audit_labels import object_type_label

        return object_type_label(self.object_type)


# --- The night roster (rule R1) -------------------------------------------------------


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


# The upload kept between an import preview and its confirmation (residency/importing).
from .importing.models import ImportUpload  # noqa: E402,F401
