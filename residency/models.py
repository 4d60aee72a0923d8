"""Places and people: County -> Township -> Village, cadres and their stations,
officials' scopes and the append-only audit log."""
from __future__ import annotations

from django.conf import settings
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

    scope_paths = {"county": "township__county", "township": "township", "village": "pk"}

    class Meta:
        verbose_name = _("村(社区)")
        verbose_name_plural = _("村(社区)")
        ordering = ["township__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "code"],
                                    name="village_code_unique_in_township"),
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
