"""Places: County -> Township -> Village."""
from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
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


MAX_BEDS = 20


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
    # Beds for 住夜 at the village office: the roster planner never puts more cadres on
    # one night unless rule R1 cannot be kept otherwise (docs/ROSTER.md).
    beds = models.PositiveSmallIntegerField(
        _("住夜床位"), default=2, validators=[MinValueValidator(1), MaxValueValidator(MAX_BEDS)],
        help_text=_("村部可供住夜的床位数; 自动排班时同一晚住夜的干部不超过此数。"))

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
            models.CheckConstraint(condition=Q(beds__gte=1) & Q(beds__lte=MAX_BEDS),
                                   name="village_beds_range"),
        ]

    def __str__(self) -> str:
        return self.name
