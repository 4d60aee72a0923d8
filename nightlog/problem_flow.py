"""The life of a problem (现场破难) as a pure state machine.

raised -> in_progress -> resolved -> confirmed (by the household, satisfied or not);
raised / in_progress -> escalated (to the township); the township then takes it back into
progress or resolves it; a resolved problem the household is not happy with can be reopened.
Who may act: the owner (the cadre or the village cadre it was handed to), the cadre who
raised it, and the township admin (the only one who acts on an escalated problem)."""
from __future__ import annotations

from dataclasses import dataclass

RAISED, IN_PROGRESS, RESOLVED, CONFIRMED, ESCALATED = (
    "raised", "in_progress", "resolved", "confirmed", "escalated")
STATUSES = (RAISED, IN_PROGRESS, RESOLVED, CONFIRMED, ESCALATED)
OPEN = frozenset({RAISED, IN_PROGRESS})
FINAL = frozenset({CONFIRMED})

START, RESOLVE, CONFIRM, ESCALATE, REOPEN, HAND_OVER = (
    "start", "resolve", "confirm", "escalate", "reopen", "hand_over")
ACTIONS = (START, RESOLVE, CONFIRM, ESCALATE, REOPEN, HAND_OVER)

OWNER, RAISER, ADMIN = "owner", "raiser", "admin"

# action -> {from_status: to_status}
TRANSITIONS: dict[str, dict[str, str]] = {
    START: {RAISED: IN_PROGRESS, ESCALATED: IN_PROGRESS},
    RESOLVE: {RAISED: RESOLVED, IN_PROGRESS: RESOLVED, ESCALATED: RESOLVED},
    CONFIRM: {RESOLVED: CONFIRMED},
    ESCALATE: {RAISED: ESCALATED, IN_PROGRESS: ESCALATED},
    REOPEN: {RESOLVED: IN_PROGRESS},
    HAND_OVER: {RAISED: RAISED, IN_PROGRESS: IN_PROGRESS},
}

# Who may take an action (on a status other than escalated).
ACTORS: dict[str, frozenset[str]] = {
    START: frozenset({OWNER, RAISER}),
    RESOLVE: frozenset({OWNER, RAISER}),
    CONFIRM: frozenset({OWNER, RAISER}),
    ESCALATE: frozenset({OWNER, RAISER}),
    REOPEN: frozenset({OWNER, RAISER, ADMIN}),
    HAND_OVER: frozenset({RAISER, ADMIN}),
}


class FlowError(ValueError):
    """A step the machine refuses; ``code`` names the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Step:
    action: str
    from_status: str
    to_status: str


def next_status(status: str, action: str, actors: frozenset[str] | set[str]) -> Step:
    """The step ``action`` takes from ``status`` for someone acting as ``actors``
    (a set of OWNER / RAISER / ADMIN). Raises FlowError when it is not allowed."""
    if status not in STATUSES:
        raise FlowError("unknown_status")
    if action not in TRANSITIONS:
        raise FlowError("unknown_action")
    targets = TRANSITIONS[action]
    if status not in targets:
        raise FlowError("not_from_here")
    allowed = frozenset({ADMIN}) if status == ESCALATED else ACTORS[action]
    if not (set(actors) & allowed):
        raise FlowError("not_yours")
    return Step(action, status, targets[status])


def available_actions(status: str, actors: frozenset[str] | set[str]) -> list[str]:
    """The actions someone may take now, in display order."""
    result = []
    for action in ACTIONS:
        try:
            next_status(status, action, actors)
        except FlowError:
            continue
        result.append(action)
    return result


def is_open(status: str) -> bool:
    return status in OPEN
