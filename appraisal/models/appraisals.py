"""The year's appraisal: the county's rules, each cadre's grade and the 金口碑 award."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models.common import CADRE_SCOPE, Grade
from residency.models import Cadre, County


class AppraisalRules(models.Model):
    """Per county and year: the satisfaction formula's weights and the grading thresholds."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="appraisal_rules",
                               verbose_name=_("县(市、区)"))
    year = models.PositiveSmallIntegerField(_("年度"))
    weight_satisfied = models.DecimalField(_("满意权重"), max_digits=4, decimal_places=2,
                                           default=Decimal("1.00"),
                                           validators=[MinValueValidator(0), MaxValueValidator(1)])
    weight_basic = models.DecimalField(_("基本满意权重"), max_digits=4, decimal_places=2,
                                       default=Decimal("0.50"),
                                       validators=[MinValueValidator(0), MaxValueValidator(1)])
    weight_unsatisfied = models.DecimalField(_("不满意权重"), max_digits=4, decimal_places=2,
                                             default=Decimal("0.00"),
                                             validators=[MinValueValidator(0), MaxValueValidator(1)])
    excellent_min_satisfaction = models.DecimalField(_("优秀:满意度不低于"), max_digits=5,
                                                     decimal_places=1, default=Decimal("90.0"))
    excellent_min_must_visit_pct = models.PositiveSmallIntegerField(
        _("优秀:五必访走访率不低于(%)"), default=80)
    competent_min_satisfaction = models.DecimalField(_("称职:满意度不低于"), max_digits=5,
                                                     decimal_places=1, default=Decimal("70.0"))
    basic_min_satisfaction = models.DecimalField(_("基本称职:满意度不低于"), max_digits=5,
                                                 decimal_places=1, default=Decimal("50.0"))
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    scope_paths = {"county": "county"}

    class Meta:
        verbose_name = _("评议规则")
        verbose_name_plural = _("评议规则")
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="one_rules_per_county_year"),
            models.CheckConstraint(
                condition=Q(excellent_min_satisfaction__gte=models.F("competent_min_satisfaction"))
                & Q(competent_min_satisfaction__gte=models.F("basic_min_satisfaction")),
                name="rules_satisfaction_thresholds_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"


# --- Review meetings (述职评议大会) and ballots --------------------------------------------


class Appraisal(models.Model):
    """The final grade the organisation department sets for a cadre and year. Everything
    else on the appraisal page is computed from the records."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="appraisals",
                              verbose_name=_("干部"))
    year = models.PositiveSmallIntegerField(_("年度"))
    final_grade = models.CharField(_("确定等次"), max_length=12, choices=Grade.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    set_at = models.DateTimeField(_("确定时间"), default=timezone.now)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("确定人"))

    scope_paths = CADRE_SCOPE

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        constraints = [models.UniqueConstraint(fields=["cadre", "year"], name="one_appraisal_per_cadre_year")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.year} {self.get_final_grade_display()}"


class GoldenAward(models.Model):
    """金口碑: a winner the organisation department selected for the year."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="golden_awards",
                              verbose_name=_("干部"))
    year = models.PositiveSmallIntegerField(_("年度"))
    selected_at = models.DateTimeField(_("评选时间"), default=timezone.now)
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("评选人"))

    scope_paths = CADRE_SCOPE

    class Meta:
        verbose_name = _("金口碑")
        verbose_name_plural = _("金口碑")
        ordering = ["-year", "cadre__township__code"]
        constraints = [models.UniqueConstraint(fields=["cadre", "year"], name="one_golden_per_cadre_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.cadre}"
