"""Proposed grades and satisfaction scores, as pure functions of plain values.

The organisation department tunes the thresholds and weights per county and year
(``AppraisalRules``); ``Rules`` carries them here. The proposed grade follows the review
(测评) score, capped by the ladder: a cadre with a standing confirmed incident is never
proposed 优秀, whatever the numbers. Missed nights reach the grade only as confirmed
incidents (docs/APPRAISAL.md).
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
    excellent_min_must_visit_pct: int = 80
    competent_min_satisfaction: Decimal = Decimal("70")
    basic_min_satisfaction: Decimal = Decimal("50")


@dataclass(frozen=True)
class Facts:
    """``nights_required``/``nights_stayed`` are information only: a missed night reaches
    the grade only as a confirmed incident (``standing_violations``).
    ``must_visit_households``: the must-visit households of the cadre's village that he is
    linked to; ``village_must_visit_households``: all of that village's must-visit
    households (so that being linked to none of them is 0%, not 100%)."""

    satisfaction: Decimal | None
    standing_violations: int
    nights_required: int = 0
    nights_stayed: int = 0
    must_visit_households: int = 0
    must_visit_visited: int = 0
    village_must_visit_households: int = 0


def pct(done: int, needed: int) -> int:
    """Whole percent done; nothing needed counts as 100."""
    if needed <= 0:
        return 100
    return min(100, done * 100 // needed)


def must_visit_pct(facts: Facts) -> int:
    """Coverage of the village's must-visit households the cadre is linked to; linked to
    none while the village has some is 0%; a village without any is 100%."""
    if facts.must_visit_households <= 0:
        return 0 if facts.village_must_visit_households > 0 else 100
    return pct(facts.must_visit_visited, facts.must_visit_households)


DEFAULT_RULES = Rules()


def score_grade(satisfaction: Decimal | None, rules: Rules = DEFAULT_RULES) -> str:
    """The grade the review (测评) score reaches on the thresholds, before the ladder.
    Without a score the system proposes 称职, the ordinary grade (never 优秀)."""
    if satisfaction is None:
        return COMPETENT
    if satisfaction >= rules.excellent_min_satisfaction:
        return EXCELLENT
    if satisfaction >= rules.competent_min_satisfaction:
        return COMPETENT
    if satisfaction >= rules.basic_min_satisfaction:
        return BASIC
    return INCOMPETENT


def propose_grade(facts: Facts, rules: Rules = DEFAULT_RULES) -> str:
    """The review score's grade, capped by the ladder: any standing incident bars 优秀
    (the cap is 称职); 优秀 also needs the must-visit coverage. Nights never lower it."""
    grade = score_grade(facts.satisfaction, rules)
    if grade == EXCELLENT and (facts.standing_violations > 0
                               or must_visit_pct(facts) < rules.excellent_min_must_visit_pct):
        return COMPETENT
    return grade


def grade_allowed(grade: str, *, standing_violations: int) -> bool:
    """优秀 is barred by any standing confirmed violation (ladder step 1)."""
    return not (grade == EXCELLENT and standing_violations > 0)
