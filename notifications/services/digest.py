"""One digest per person and sweep (issue 12): what is due but not tonight (overdue
problems, incomplete household ties, pending approvals, roster gaps, review meetings, a
night with no log) is listed in one ``digest`` notification instead of one notification
each.

Exactly-once stays where it was: each listed reminder keeps its own key
``(recipient, kind, subject, date)`` as a ``DigestItem`` row under a UNIQUE constraint
(INSERT ... ON CONFLICT DO NOTHING, read back by token), and a reminder already sent on
its own (an event's notification, or one from before digests) is not listed again. The
digest itself is keyed ``(recipient, "digest", "sweep:<moment>", day)``: a sweep run twice
at the same moment creates nothing the second time; two sweeps racing at the same moment
share one digest (each item names its digest by that subject)."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from residency.batching import chunked

from ..kinds import DIGEST_KINDS, Kind
from ..models import DigestItem, Notification
from ..reminder import Reminder
from .create import CHUNK, notifications_create

TEXT_MAX = 300

# Kinds listed as a count when there are several; the others are quoted.
_COUNTED = {
    Kind.PROBLEM_OVERDUE: lambda n: ngettext("%(n)s 个问题已过办结期限", "%(n)s 个问题已过办结期限", n),
    Kind.PROBLEM_OVERDUE_ESCALATED: lambda n: ngettext(
        "%(n)s 个问题逾期超过 7 天，需要督办", "%(n)s 个问题逾期超过 7 天，需要督办", n),
    Kind.LEAVE_REQUESTED: lambda n: ngettext("%(n)s 条请假待审批", "%(n)s 条请假待审批", n),
    Kind.SWAP_REQUESTED: lambda n: ngettext("%(n)s 条换班待审批", "%(n)s 条换班待审批", n),
    Kind.NO_VISIT_LOGGED: lambda n: ngettext("%(n)s 个住夜还没有记民情夜记",
                                             "%(n)s 个住夜还没有记民情夜记", n),
    Kind.REVIEW_MEETING: lambda n: ngettext("%(n)s 场述职评议大会临近", "%(n)s 场述职评议大会临近", n),
}
# The order a digest lists its kinds in: what needs the reader's action first.
ORDER = [Kind.LEAVE_REQUESTED, Kind.SWAP_REQUESTED, Kind.PROBLEM_OVERDUE,
         Kind.PROBLEM_OVERDUE_ESCALATED, Kind.NO_VISIT_LOGGED, Kind.ROSTER_GAPS,
         Kind.TIES_INCOMPLETE, Kind.REVIEW_MEETING]


def sweep_subject(at: datetime) -> str:
    return f"sweep:{timezone.localtime(at):%Y-%m-%dT%H:%M}"


def digest_text(items: Sequence[Reminder | DigestItem]) -> str:
    """The digest's one-paragraph summary (at most 300 characters): one item is quoted
    whole; several of a kind are counted. Pure but for gettext."""
    if len(items) == 1:
        return items[0].text[:TEXT_MAX]
    by_kind: dict[str, list] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    parts = []
    for kind in sorted(by_kind, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER)):
        rows = by_kind[kind]
        if len(rows) > 1 and kind in _COUNTED:
            parts.append(_COUNTED[kind](len(rows)) % {"n": len(rows)})
        else:
            parts.extend(r.text.rstrip("。") for r in rows)
    text = _("待办汇总（%(n)s 项）：") % {"n": len(items)} + "；".join(parts) + "。"
    if len(text) > TEXT_MAX:
        text = text[:TEXT_MAX - 1] + "…"
    return text


def _listed_keys(reminders: Sequence[Reminder]) -> set[tuple]:
    """Keys already listed in a digest or already sent on their own (two queries)."""
    kinds = {r.kind for r in reminders}
    dates = {r.date for r in reminders}
    fields = ("recipient_id", "kind", "subject", "date")
    listed = set(DigestItem.objects.filter(kind__in=kinds, date__in=dates).values_list(*fields))
    listed |= set(Notification.objects.filter(kind__in=kinds, date__in=dates).values_list(*fields))
    return listed


@transaction.atomic
def digests_create(*, reminders: Iterable[Reminder], at: datetime) -> tuple[list[int], dict[str, int]]:
    """List every reminder not listed (or sent) yet in its recipient's digest for the
    sweep at ``at``, creating one digest notification per recipient (and its e-mail,
    after commit). Returns the ids of the digests this call created and how many items
    of each kind it listed."""
    wanted = {r.key: r for r in reminders}
    unknown = {r.kind for r in wanted.values()} - DIGEST_KINDS
    if unknown:
        raise ValueError(f"not digest kinds: {sorted(unknown)}")
    if not wanted:
        return [], {}
    listed = _listed_keys(list(wanted.values()))
    subject = sweep_subject(at)
    rows = [DigestItem(recipient_id=r.recipient_id, kind=r.kind, subject=r.subject, date=r.date,
                       text=r.text[:TEXT_MAX], link=r.link[:200], sweep=subject,
                       token=uuid.uuid4())
            for key, r in wanted.items() if key not in listed]
    if not rows:
        return [], {}
    DigestItem.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)
    won: list[DigestItem] = []
    for chunk in chunked([r.token for r in rows], CHUNK):
        won.extend(DigestItem.objects.filter(token__in=chunk).only(
            "pk", "recipient_id", "kind", "text", "link"))
    counts: dict[str, int] = defaultdict(int)
    per_person: dict[int, list[DigestItem]] = defaultdict(list)
    for item in won:
        counts[item.kind] += 1
        per_person[item.recipient_id].append(item)
    day = timezone.localtime(at).date()
    digests = []
    for user_id, items in per_person.items():
        items.sort(key=lambda i: (ORDER.index(i.kind) if i.kind in ORDER else len(ORDER), i.pk))
        link = items[0].link if len(items) == 1 else ""
        digests.append(Reminder(recipient_id=user_id, kind=Kind.DIGEST, subject=subject,
                                date=day, text=digest_text(items), link=link))
    created = notifications_create(reminders=digests, at=at)
    if created:
        # Several items: the digest links to its own page, which lists them all (its id
        # is known only after the INSERT; one UPDATE).
        prefix = reverse("notifications:digest-detail", args=[0])[:-2]
        Notification.objects.filter(pk__in=created, link="").update(
            link=Concat(Value(prefix), Cast(F("pk"), CharField()), Value("/")))
    return created, dict(counts)
