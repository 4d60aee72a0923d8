"""The sweep: what beat triggers every few minutes and ``run_reminders --at`` runs by hand
(the same function). It creates every reminder due at ``at`` that does not exist yet
(timed rules whose occasion is open, and events of the last days re-derived from the
database) and re-enqueues every delivery still due (never enqueued because the broker was
down, failed, or deferred by quiet hours)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from .. import conf
from ..enqueue import enqueue_each_on_commit
from ..rules import CATCH_UP_RULES, TIMED_RULES, SourceUnavailable
from ..timing import open_occasions
from .create import notifications_create
from .deliver import deliveries_due

logger = logging.getLogger("notifications")


@dataclass
class SweepResult:
    created: dict[str, int] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    redelivered: int = 0

    def add(self, kind: str, n: int) -> None:
        self.created[kind] = self.created.get(kind, 0) + n


def _run(result: SweepResult, kind: str, build, at: datetime) -> None:
    try:
        reminders = build()
    except SourceUnavailable as exc:
        result.unavailable[kind] = str(exc)
        return
    except Exception as exc:  # one broken rule must not stop the others
        logger.exception("reminder rule %s failed", kind)
        result.errors[kind] = str(exc)[:200]
        return
    result.add(kind, len(notifications_create(reminders=reminders, at=at)))


def reminders_sweep(*, at: datetime, kinds: set[str] | None = None,
                    redeliver: bool = True) -> SweepResult:
    """Run every sweep due at ``at`` (an aware datetime). Safe to run any number of times
    and concurrently: the dedup key makes the second run create nothing."""
    result = SweepResult()
    for occasion in open_occasions(at, conf.config()):
        if kinds and occasion.kind not in kinds:
            continue
        rule = TIMED_RULES[occasion.kind]
        _run(result, occasion.kind, lambda rule=rule, o=occasion: rule(occasion=o, at=at), at)
    for kind, rule in CATCH_UP_RULES.items():
        if kinds and kind not in kinds:
            continue
        _run(result, kind, lambda rule=rule: rule(at=at), at)
    if redeliver:
        from ..tasks import deliver

        due = deliveries_due(at=at)
        result.redelivered = len(due)
        enqueue_each_on_commit(deliver, [(pk, at.isoformat()) for pk in due])
    return result
