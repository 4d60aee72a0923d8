"""The annual appraisal row of each cadre, computed in chunks with a constant number of
queries per chunk, so a page, a report and a province-wide export cost the same per row."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.access.scoping import Scope
from residency.batching import chunked
from residency.models import Cadre, Station

from .. import grading, ladder, sources
from ..models import Appraisal, AppraisalRules, GoldenAward, Grade, PenaltyAction
from .meetings import rating_counts, stationed_in_year
from .violations import standing_counts

CHUNK = 1000
# What the pages show (translated); exports keep the fixed labels of ``ladder``/``grading``.
LADDER_DISPLAY = {0: "", ladder.NO_EXCELLENT: _("当年度考核不得评为优秀等次"),
                  ladder.TALK: _("诫勉谈话"), ladder.HANDLING: _("组织处理")}


@dataclass
class AppraisalRow:
    cadre_id: int
    username: str
    name: str
    position: str
    township_id: int
    township: str
    village: str
    nights_required: int
    nights_stayed: int
    visits: int
    late_visits: int  # of ``visits``, written as 补记 (marked, counted all the same)
    linked_households: int
    must_visit_households: int
    must_visit_visited: int
    village_must_visit_households: int
    problems_raised: int
    problems_resolved: int
    party_score: Decimal | None
    resident_score: Decimal | None
    satisfaction: Decimal | None
    violations: int
    ladder: ladder.LadderResult
    talk_held: bool
    handling_recorded: bool
    proposed_grade: str
    final_grade: str
    golden: bool

    @property
    def proposed_grade_label(self) -> str:
        return grading.GRADE_LABELS.get(self.proposed_grade, "")

    @property
    def final_grade_label(self) -> str:
        return grading.GRADE_LABELS.get(self.final_grade, "")

    @property
    def proposed_grade_display(self) -> str:
        return Grade(self.proposed_grade).label if self.proposed_grade else ""

    @property
    def final_grade_display(self) -> str:
        return Grade(self.final_grade).label if self.final_grade else ""

    @property
    def ladder_display(self) -> str:
        return LADDER_DISPLAY[self.ladder.step]

    @property
    def nights_pct(self) -> int:
        return grading.pct(self.nights_stayed, self.nights_required)

    @property
    def must_visit_pct(self) -> int:
        return grading.must_visit_pct(grading.Facts(
            satisfaction=None, standing_violations=0,
            must_visit_households=self.must_visit_households,
            must_visit_visited=self.must_visit_visited,
            village_must_visit_households=self.village_must_visit_households))

    @property
    def golden_candidate(self) -> bool:
        return (self.violations == 0 and self.nights_required > 0
                and self.nights_stayed >= self.nights_required and self.satisfaction is not None)


def rules_for(*, county_id: int, year: int) -> AppraisalRules:
    """The county's rules for the year, or the defaults (unsaved) when none were set."""
    return (AppraisalRules.objects.filter(county_id=county_id, year=year).first()
            or AppraisalRules(county_id=county_id, year=year))


def weights_of(rules: AppraisalRules) -> grading.Weights:
    return grading.Weights(rules.weight_satisfied, rules.weight_basic, rules.weight_unsatisfied)


def grading_rules_of(rules: AppraisalRules) -> grading.Rules:
    return grading.Rules(
        excellent_min_satisfaction=rules.excellent_min_satisfaction,
        excellent_min_must_visit_pct=rules.excellent_min_must_visit_pct,
        competent_min_satisfaction=rules.competent_min_satisfaction,
        basic_min_satisfaction=rules.basic_min_satisfaction)


def appraisal_cadres(*, scope: Scope, year: int, township_id: int | None = None,
                     q: str = "") -> QuerySet[Cadre]:
    """Cadres stationed somewhere at some time in ``year``, in township order."""
    in_year = Station.objects.filter(stationed_in_year(year=year)).values("cadre_id")
    qs = Cadre.objects.filter(pk__in=in_year).select_related("township", "user")
    if township_id:
        qs = qs.filter(township_id=township_id)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(user__username__contains=q))
    return scope.filter(qs).order_by("township__county_id", "township__code", "name", "pk")


def _until(year: int) -> date:
    return min(date(year, 12, 31), timezone.localdate())


def appraisal_rows(*, cadres: list[Cadre], year: int,
                   rules_cache: dict[int, AppraisalRules] | None = None) -> list[AppraisalRow]:
    """The rows for ``cadres`` (with ``township`` and ``user`` loaded)."""
    if not cadres:
        return []
    ids = [c.pk for c in cadres]
    rules_cache = {} if rules_cache is None else rules_cache
    missing = {c.township.county_id for c in cadres} - set(rules_cache)
    if missing:
        found = {r.county_id: r for r in AppraisalRules.objects.filter(county_id__in=missing, year=year)}
        for county_id in missing:
            rules_cache[county_id] = found.get(county_id) or AppraisalRules(county_id=county_id, year=year)

    villages: dict[int, str] = {}
    for cadre_id, village in (Station.objects.filter(stationed_in_year(year=year), cadre_id__in=ids)
                              .order_by("start", "pk").values_list("cadre_id", "village__name")):
        villages[cadre_id] = village  # the latest station of the year wins
    nights = sources.cadre_nights(cadre_ids=ids, year=year, until=_until(year))
    stats = sources.cadre_year_stats(cadre_ids=ids, year=year)
    counts = standing_counts(cadre_ids=ids, year=year)
    ratings = rating_counts(cadre_ids=ids, year=year)
    finals = dict(Appraisal.objects.filter(cadre_id__in=ids, year=year)
                  .values_list("cadre_id", "final_grade"))
    golden = set(GoldenAward.objects.filter(cadre_id__in=ids, year=year)
                 .values_list("cadre_id", flat=True))
    actions = set(PenaltyAction.objects.filter(cadre_id__in=ids, year=year)
                  .values_list("cadre_id", "kind"))

    rows = []
    for cadre in cadres:
        rules = rules_cache[cadre.township.county_id]
        weights = weights_of(rules)
        by_kind = ratings[cadre.pk]
        combined = by_kind["party"] + by_kind["resident"]
        score = grading.satisfaction(combined, weights)
        required, stayed = nights.get(cadre.pk, (0, 0))
        st = stats[cadre.pk]
        count = counts.get(cadre.pk, 0)
        facts = grading.Facts(nights_required=required, nights_stayed=stayed, satisfaction=score,
                              standing_violations=count,
                              must_visit_households=st["must_visit_households"],
                              must_visit_visited=st["must_visit_visited"],
                              village_must_visit_households=st["village_must_visit_households"])
        rows.append(AppraisalRow(
            cadre_id=cadre.pk, username=cadre.user.username, name=cadre.name,
            position=cadre.position, township_id=cadre.township_id, township=cadre.township.name,
            village=villages.get(cadre.pk, ""), nights_required=required, nights_stayed=stayed,
            visits=st["visits"], late_visits=st["late_visits"],
            linked_households=st["linked_households"],
            must_visit_households=st["must_visit_households"],
            must_visit_visited=st["must_visit_visited"],
            village_must_visit_households=st["village_must_visit_households"],
            problems_raised=st["problems_raised"],
            problems_resolved=st["problems_resolved"],
            party_score=grading.satisfaction(by_kind["party"], weights),
            resident_score=grading.satisfaction(by_kind["resident"], weights),
            satisfaction=score, violations=count, ladder=ladder.ladder_for_count(count),
            talk_held=(cadre.pk, PenaltyAction.Kind.TALK) in actions,
            handling_recorded=(cadre.pk, PenaltyAction.Kind.HANDLING) in actions,
            proposed_grade=grading.propose_grade(facts, grading_rules_of(rules)),
            final_grade=finals.get(cadre.pk, ""), golden=cadre.pk in golden))
    return rows


def iter_appraisal_rows(*, scope: Scope, year: int, township_id: int | None = None,
                        chunk_size: int = CHUNK) -> Iterator[AppraisalRow]:
    """Every row in scope, streamed: memory is bounded by ``chunk_size``, not the county
    or province size."""
    rules_cache: dict[int, AppraisalRules] = {}
    cadres = appraisal_cadres(scope=scope, year=year, township_id=township_id)
    for chunk in chunked(cadres.iterator(chunk_size=chunk_size), chunk_size):
        yield from appraisal_rows(cadres=chunk, year=year, rules_cache=rules_cache)


def golden_candidate_ids(*, cadre_ids: list[int], year: int) -> set[int]:
    cadres = list(Cadre.objects.filter(pk__in=cadre_ids).select_related("township", "user"))
    return {r.cadre_id for r in appraisal_rows(cadres=cadres, year=year) if r.golden_candidate}


def golden_candidates(*, scope: Scope, year: int) -> list[AppraisalRow]:
    """金口碑 candidates ranked by satisfaction (highest first)."""
    rows = [r for r in iter_appraisal_rows(scope=scope, year=year) if r.golden_candidate]
    return sorted(rows, key=lambda r: (-(r.satisfaction or 0), r.township, r.name))


def golden_public_list(*, year: int) -> list[dict]:
    """The public list: name, township and village only."""
    awards = list(GoldenAward.objects.filter(year=year).select_related("cadre__township")
                  .order_by("cadre__township__county__code", "cadre__township__code", "cadre__name"))
    ids = [a.cadre_id for a in awards]
    villages: dict[int, str] = {}
    for cadre_id, village in (Station.objects.filter(stationed_in_year(year=year), cadre_id__in=ids)
                              .order_by("start", "pk").values_list("cadre_id", "village__name")):
        villages[cadre_id] = village
    return [{"name": a.cadre.name, "township": a.cadre.township.name,
             "village": villages.get(a.cadre_id, "")} for a in awards]
