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
from ..kinds import DIGEST_KINDS, Kind
from ..models import SweepMark
from ..reminder import Reminder
from ..rules import CATCH_UP_RULES, TIMED_RULES, SourceUnavailable
from ..timing import open_occasions
from .create import notifications_create
from .deliver import deliveries_due
from .digest import digests_create

logger = logging.getLogger("notifications")

# Snapshots taken once per occasion (their facts are read at the due time); the night
# rules (tonight's stay, check-in, night log) are cheap and re-read every sweep so that a
# late change is still caught within the window.
ONCE_PER_OCCASION = {Kind.ROSTER_GAPS, Kind.PROBLEM_OVERDUE, Kind.TIES_INCOMPLETE,
                     Kind.REVIEW_MEETING}


@dataclass
class SweepResult:
    # Notifications created, by kind (``digest`` counts the digests).
    created: dict[str, int] = field(default_factory=dict)
    # Reminders listed in the digests, by kind (not notifications of their own).
    digested: dict[str, int] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    redelivered: int = 0

    def add(self, kind: str, n: int) -> None:
        target = self.digested if kind in DIGEST_KINDS else self.created
        target[kind] = target.get(kind, 0) + n

    @property
    def notifications(self) -> int:
        return sum(self.created.values())


@dataclass
class _Pending:
    """The digest's reminders gathered over one sweep, and the snapshot marks to write
    once they are committed."""

    reminders: list[Reminder] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    marks: list[SweepMark] = field(default_factory=list)


def _run(result: SweepResult, pending: _Pending, kind: str, build, at: datetime) -> bool:
    try:
        reminders = build()
        own = [r for r in reminders if r.kind not in DIGEST_KINDS]
        created = notifications_create(reminders=own, at=at) if own else []
    except SourceUnavailable as exc:
        result.unavailable[kind] = str(exc)
        return False
    except Exception as exc:  # one broken rule must not stop the others
        logger.exception("reminder rule %s failed", kind)
        result.errors[kind] = str(exc)[:200]
        return False
    pending.reminders.extend(r for r in reminders if r.kind in DIGEST_KINDS)
    pending.kinds.add(kind)
    result.add(kind, len(created))
    return True


def _digest(result: SweepResult, pending: _Pending, at: datetime) -> None:
    """One digest per person for everything the rules found due; then the marks of the
    snapshots whose reminders are now committed (a failure leaves no mark: retried)."""
    if not pending.kinds & DIGEST_KINDS:
        return
    try:
        created, counts = digests_create(reminders=pending.reminders, at=at)
    except Exception as exc:
        logger.exception("the digest of the sweep at %s failed", at)
        result.errors[Kind.DIGEST] = str(exc)[:200]
        return
    for kind in pending.kinds & DIGEST_KINDS:
        result.add(kind, counts.get(kind, 0))
    result.created[Kind.DIGEST] = result.created.get(Kind.DIGEST, 0) + len(created)
    if pending.marks:
        SweepMark.objects.bulk_create(pending.marks, ignore_conflicts=True)


def reminders_sweep(*, at: datetime, kinds: set[str] | None = None,
                    redeliver: bool = True) -> SweepResult:
    """Run every sweep due at ``at`` (an aware datetime). Safe to run any number of times
    and concurrently: the dedup keys make the second run create nothing. Each person gets
    at most one digest per sweep (``DIGEST_KINDS``); tonight's reminders stay on their own."""
    result = SweepResult()
    pending = _Pending()
    occasions = [o for o in open_occasions(at, conf.config()) if not kinds or o.kind in kinds]
    done = set(SweepMark.objects.filter(
        kind__in={o.kind for o in occasions}, day__in={o.day for o in occasions}
    ).values_list("kind", "day"))
    for occasion in occasions:
        if (occasion.kind, occasion.day) in done:
            result.add(occasion.kind, 0)
            continue
        rule = TIMED_RULES[occasion.kind]
        ok = _run(result, pending, occasion.kind,
                  lambda rule=rule, o=occasion: rule(occasion=o, at=at), at)
        if ok and occasion.kind in ONCE_PER_OCCASION:
            pending.marks.append(SweepMark(kind=occasion.kind, day=occasion.day))
    for kind, rule in CATCH_UP_RULES.items():
        if kinds and kind not in kinds:
            continue
        _run(result, pending, kind, lambda rule=rule: rule(at=at), at)
    _digest(result, pending, at)
    if redeliver:
        due = deliveries_due(at=at)
        result.redelivered = len(due)
        deliver_each_on_commit([(pk, at.isoformat()) for pk in due])
    return result
