"""The penalty ladder for not carrying out the residence rule (rule R3), as a pure function.

Counted over one calendar year, only confirmed violations that stand (not overturned on
appeal; candidates and dismissed ones never count):

- 0: nothing;
- 1: that year's grade cannot be 优秀 (不得评优);
- 2: an admonishment talk (诫勉谈话) is due, besides step 1;
- 3 or more: organisational handling (组织处理) is due, besides steps 1 and 2.

Nothing here touches the database: the register is read elsewhere and passed in.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

NO_EXCELLENT = 1
TALK = 2
HANDLING = 3

# Machine-readable labels of the highest step reached (the export's ``ladder`` column).
STEP_LABELS = {0: "", NO_EXCELLENT: "不得评优", TALK: "诫勉谈话", HANDLING: "组织处理"}

CONFIRMED = "confirmed"


@dataclass(frozen=True)
class ViolationFact:
    """What the ladder needs to know about one violation."""

    occurred_on: date
    status: str  # candidate / confirmed / dismissed
    overturned: bool = False

    @property
    def standing(self) -> bool:
        return self.status == CONFIRMED and not self.overturned


@dataclass(frozen=True)
class LadderResult:
    count: int
    step: int

    @property
    def no_excellent(self) -> bool:
        return self.step >= NO_EXCELLENT

    @property
    def talk_due(self) -> bool:
        return self.step >= TALK

    @property
    def handling_due(self) -> bool:
        return self.step >= HANDLING

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]


def step_for_count(count: int) -> int:
    """The step reached by ``count`` standing violations."""
    if count < 0:
        raise ValueError("count must not be negative")
    return min(count, HANDLING)


def ladder_for_count(count: int) -> LadderResult:
    return LadderResult(count=count, step=step_for_count(count))


def ladder(violations: Iterable[ViolationFact], *, year: int) -> LadderResult:
    """The ladder for one cadre and year from that cadre's violations (any years)."""
    count = sum(1 for v in violations if v.standing and v.occurred_on.year == year)
    return ladder_for_count(count)
