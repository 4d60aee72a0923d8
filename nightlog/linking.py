"""Pure suggestion of household ties: fill each cadre up to the minimum (5) from the
village's unassigned must-visit households, hardship and key households first, then hand
any must-visit household still without a responsible cadre to the least-loaded cadre."""
from __future__ import annotations

from dataclasses import dataclass

MINIMUM_LINKS = 5


@dataclass(frozen=True)
class Candidate:
    household_id: int
    hardship: bool
    key: bool
    categories: int  # how many must-visit categories the household is in

    @property
    def rank(self) -> tuple:
        # hardship and key households first, then those in more categories, then by id.
        return (not self.hardship, not self.key, -self.categories, self.household_id)


def suggest_links(loads: dict[int, int], candidates: list[Candidate]) -> list[tuple[int, int]]:
    """``loads``: cadre id -> open links now; ``candidates``: unassigned must-visit
    households. Returns ``(cadre_id, household_id)`` pairs, deterministic. Always giving
    the next household to the least-loaded cadre fills everyone up to MINIMUM_LINKS first."""
    if not loads:
        return []
    queue = sorted(candidates, key=lambda c: c.rank)
    current = dict(loads)
    pairs: list[tuple[int, int]] = []
    while queue:
        cadre_id = min(sorted(current), key=lambda cid: current[cid])
        household = queue.pop(0)
        pairs.append((cadre_id, household.household_id))
        current[cadre_id] += 1
    return pairs
