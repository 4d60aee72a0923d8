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
from ..enqueue import deliver_each_on_commit
from ..kinds import Kind
from ..models import SweepMark
from ..rules import CATCH_UP_RULES, TIMED_RULES, SourceUnavailable
from ..timing import open_occasions
from .create import notifications_create
from .deliver import deliveries_due

logger = logging.getLogger("notifications")

# Snapshots taken once per occasion (their facts are read at the due time); the night
# rules (tonight's stay, check-in, night log) are cheap and re-read every sweep so that a
# late change is still caught within the window.
ONCE_PER_OCCASION = {Kind.ROSTER_GAPS, Kind.PROBLEM_OVERDUE, Kind.TIES_INCOMPLETE,
                     Kind.REVIEW_MEETING}


@dataclass
class SweepResult:
    created: dict[str, int] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    redelivered: int = 0

    def add(self, kind: str, n: int) -> None:
        self.created[kind] = self.created.get(kind, 0) + n


def _run(result: SweepResult, kind: str, build, at: datetime) -> bool:
    try:
        reminders = build()
        created = notifications_create(reminders=reminders, at=at) if reminders else []
    except SourceUnavailable as exc:
        result.unavailable[kind] = str(exc)
        return False
    except Exception as exc:  # one broken rule must not stop the others
        logger.exception("reminder rule %s failed", kind)
        result.errors[kind] = str(exc)[:200]
        return False
    result.add(kind, len(created))
    return True


def reminders_sweep(*, at: datetime, kinds: set[str] | None = None,
                    redeliver: bool = True) -> SweepResult:
    """Run every sweep due at ``at`` (an aware datetime). Safe to run any number of times
    and concurrently: the dedup key makes the second run create nothing."""
    result = SweepResult()
    occasions = [o for o in open_occasions(at, conf.config()) if not kinds or o.kind in kinds]
    done = set(SweepMark.objects.filter(
        kind__in={o.kind for o in occasions}, day__in={o.day for o in occasions}
    ).values_list("kind", "day"))
    for occasion in occasions:
        if (occasion.kind, occasion.day) in done:
            result.add(occasion.kind, 0)
            continue
        rule = TIMED_RULES[occasion.kind]
        ok = _run(result, occasion.kind,
                  lambda rule=rule, o=occasion: rule(occasion=o, at=at), at)
        if ok and occasion.kind in ONCE_PER_OCCASION:
            SweepMark.objects.bulk_create([SweepMark(kind=occasion.kind, day=occasion.day)],
                                          ignore_conflicts=True)
    for kind, rule in CATCH_UP_RULES.items():
        if kinds and kind not in kinds:
            continue
        _run(result, kind, lambda rule=rule: rule(at=at), at)
    if redeliver:
        due = deliveries_due(at=at)
        result.redelivered = len(due)
        deliver_each_on_commit([(pk, at.isoformat()) for pk in due])
    return result
