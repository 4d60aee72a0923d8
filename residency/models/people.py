"""People: cadres and their stations (which village, from when to when), officials' scopes."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from residency.models.places import County, Township, Village


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
