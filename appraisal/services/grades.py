"""The organisation department's decisions: rules, final grades and 金口碑 winners."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit
from residency.access.roles import Role
from residency.models import Cadre, County

from .. import grading
from ..models import Appraisal, AppraisalRules, GoldenAward, Grade
from ._authority import require
from .violations import standing_count

RULE_FIELDS = [
    "weight_satisfied", "weight_basic", "weight_unsatisfied",
    "excellent_min_satisfaction", "excellent_min_must_visit_pct",
    "competent_min_satisfaction", "basic_min_satisfaction",
]


@transaction.atomic
def rules_update(*, county: County, year: int, by, **values) -> AppraisalRules:
    require(by, county, Role.ORG_DEPARTMENT)
    rules = (AppraisalRules.objects.select_for_update().filter(county=county, year=year).first()
             or AppraisalRules(county=county, year=year))
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown rule fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(rules, name, value)
    rules.updated_at = timezone.now()
    rules.updated_by = by
    rules.full_clean()
    rules.save()
    audit.record("rules_update", obj=rules, user=by,
                 **{k: str(getattr(rules, k)) for k in RULE_FIELDS})
    return rules


@transaction.atomic
def appraisal_set_grade(*, cadre: Cadre, year: int, grade: str, by, note: str = "") -> Appraisal:
    """The final grade. Refused as 优秀 while the cadre has a standing confirmed violation
    in that year (ladder step 1: 不得评优)."""
    require(by, cadre, Role.ORG_DEPARTMENT)
    if grade not in Grade.values:
        raise ValidationError({"final_grade": _("等次无效。")})
    # Lock the cadre so a concurrent confirmation cannot slip in between check and write.
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
    count = standing_count(cadre_id=cadre.pk, year=year)
    if not grading.grade_allowed(grade, standing_violations=count):
        raise ValidationError({"final_grade": _(
            "该干部 %(year)s 年度有 %(n)s 条已认定的违反住村制度记录,不得评为优秀。")
            % {"year": year, "n": count}})
    appraisal = Appraisal.objects.filter(cadre=cadre, year=year).first() or Appraisal(
        cadre=cadre, year=year, set_by=by)
    appraisal.final_grade = grade
    appraisal.note = note.strip()
    appraisal.set_by = by
    appraisal.set_at = timezone.now()
    appraisal.full_clean()
    appraisal.save()
    audit.record("appraisal_set_grade", obj=appraisal, user=by, grade=grade, year=year)
    return appraisal


@transaction.atomic
def golden_select(*, cadre: Cadre, year: int, by) -> GoldenAward:
    """Select a 金口碑 winner among the candidates (no standing violation, every required
    night stayed, a satisfaction score)."""
    from ..selectors.appraisals import golden_candidate_ids

    require(by, cadre, Role.ORG_DEPARTMENT)
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
    if cadre.pk not in golden_candidate_ids(cadre_ids=[cadre.pk], year=year):
        raise ValidationError(_("该干部不符合金口碑候选条件(无认定违规、住夜全部完成、有满意度测评)。"))
    award = GoldenAward.objects.filter(cadre=cadre, year=year).first()
    if award is not None:
        return award
    award = GoldenAward(cadre=cadre, year=year, selected_by=by)
    award.full_clean()
    award.save()
    audit.record("golden_select", obj=award, user=by, year=year)
    return award


@transaction.atomic
def golden_unselect(*, cadre: Cadre, year: int, by) -> None:
    require(by, cadre, Role.ORG_DEPARTMENT)
    deleted = GoldenAward.objects.filter(cadre=cadre, year=year).delete()[0]
    if deleted:
        audit.record("golden_unselect", obj=cadre, user=by, year=year)
