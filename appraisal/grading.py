"""Proposed grades and satisfaction scores, as pure functions of plain values.

The organisation department tunes the thresholds and weights per county and year
(``AppraisalRules``); ``Rules`` carries them here. A cadre with a standing confirmed
violation is never proposed 优秀, whatever the numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

EXCELLENT, COMPETENT, BASIC, INCOMPETENT = "excellent", "competent", "basic", "incompetent"
GRADE_LABELS = {EXCELLENT: "优秀", COMPETENT: "称职", BASIC: "基本称职", INCOMPETENT: "不称职"}


@dataclass(frozen=True)
class Weights:
    satisfied: Decimal = Decimal("1")
    basic: Decimal = Decimal("0.5")
    unsatisfied: Decimal = Decimal("0")


@dataclass(frozen=True)
class Counts:
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0

    @property
    def valid(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.satisfied + other.satisfied, self.basic + other.basic,
                      self.unsatisfied + other.unsatisfied)


DEFAULT_WEIGHTS = Weights()


def satisfaction(counts: Counts, weights: Weights = DEFAULT_WEIGHTS) -> Decimal | None:
    """(w1 x 满意 + w2 x 基本满意 + w3 x 不满意) / valid ballots x 100, one decimal;
    None when there is no valid ballot."""
    if counts.valid == 0:
        return None
    score = (weights.satisfied * counts.satisfied + weights.basic * counts.basic
             + weights.unsatisfied * counts.unsatisfied) * 100 / counts.valid
    return score.quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Rules:
    excellent_min_satisfaction: Decimal = Decimal("90")
    excellent_min_nights_pct: int = 100
    excellent_min_must_visit_pct: int = 80
    competent_min_satisfaction: Decimal = Decimal("70")
    competent_min_nights_pct: int = 90
    basic_min_satisfaction: Decimal = Decimal("50")
    basic_min_nights_pct: int = 70


@dataclass(frozen=True)
class Facts:
    nights_required: int
    nights_stayed: int
    satisfaction: Decimal | None
    standing_violations: int
    must_visit_households: int = 0
    must_visit_visited: int = 0


def pct(done: int, needed: int) -> int:
    """Whole percent done; nothing needed counts as 100."""
    if needed <= 0:
        return 100
    return min(100, done * 100 // needed)


def _meets(facts: Facts, min_satisfaction: Decimal, min_nights_pct: int) -> bool:
    if pct(facts.nights_stayed, facts.nights_required) < min_nights_pct:
        return False
    # Without a review score the nights alone decide the lower grades.
    return facts.satisfaction is None or facts.satisfaction >= min_satisfaction


DEFAULT_RULES = Rules()


def propose_grade(facts: Facts, rules: Rules = DEFAULT_RULES) -> str:
    if (facts.standing_violations == 0 and facts.satisfaction is not None
            and facts.satisfaction >= rules.excellent_min_satisfaction
            and pct(facts.nights_stayed, facts.nights_required) >= rules.excellent_min_nights_pct
            and pct(facts.must_visit_visited, facts.must_visit_households)
            >= rules.excellent_min_must_visit_pct):
        return EXCELLENT
    if _meets(facts, rules.competent_min_satisfaction, rules.competent_min_nights_pct):
        return COMPETENT
    if _meets(facts, rules.basic_min_satisfaction, rules.basic_min_nights_pct):
        return BASIC
    return INCOMPETENT


def grade_allowed(grade: str, *, standing_violations: int) -> bool:
    """优秀 is barred by any standing confirmed violation (ladder step 1)."""
    return not (grade == EXCELLENT and standing_violations > 0)
