"""Reads of the night roster: the contract selectors that appraisal reads (signals of
incidents) and the cadre's own nights. Grids and dashboards: ``roster_dashboards``.

Contract (BRIEF.md), each a constant number of queries:

- ``cadre_nights(*, cadre_ids, year, until) -> {cadre_id: (nights_required, nights_stayed)}``
- ``missed_checkins(*, since, until) -> QuerySet[Stay]``
- ``absent_spot_checks(*, since, until) -> QuerySet[SpotCheck]``
"""
from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from residency.models import Leave, RosterWeek, SpotCheck, Stay, Swap
from residency.roster.presence import stayed_q
from residency.roster.services.checkin import current_night, window, window_closes_at

PUBLISHED = RosterWeek.Status.PUBLISHED


def _approved_leave_on_the_night():
    """A stay whose night the cadre turned out to be on approved leave (sick leave approved
    the next day): R1 plans nobody on leave, so it neither counts nor is missed."""
    return Exists(Leave.objects.filter(cadre_id=OuterRef("cadre_id"), status=Leave.Status.APPROVED,
                                       start__lte=OuterRef("night"), end__gte=OuterRef("night")))


def cadre_nights(*, cadre_ids: list[int], year: int, until: date) -> dict[int, tuple[int, int]]:
    """(nights_required, nights_stayed) per cadre: required = stays in published weeks on
    nights of ``year`` up to ``until``, less nights later covered by approved leave and not
    stayed; stayed = those resided by check-in or by a correction to "present" (a
    correction to "absent" takes a check-in's night away; ``presence.stayed_q``). One query."""
    out = {cid: (0, 0) for cid in cadre_ids}
    end = min(until, date(year, 12, 31))
    rows = (Stay.objects.filter(cadre_id__in=list(cadre_ids), week__status=PUBLISHED,
                                night__gte=date(year, 1, 1), night__lte=end)
            .exclude(~stayed_q() & Q(_approved_leave_on_the_night()))
            .values("cadre_id")
            .annotate(required=Count("pk"), stayed=Count("pk", filter=stayed_q())))
    for row in rows:
        out[row["cadre_id"]] = (row["required"], row["stayed"])
    return out


def last_closed_night(now=None) -> date:
    """The latest night whose check-in window has closed by ``now``."""
    now = now or timezone.now()
    night = timezone.localtime(now).date()
    while window_closes_at(night) > now:
        night -= timedelta(days=1)
    return night


def last_begun_night(now=None) -> date:
    """The latest night that has begun by ``now`` (its check-in window has opened): today
    from the window's start (17:00), else yesterday. Counts of nights stop here, so a
    night still to come is never counted as required."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    start = window()[0]
    return local.date() if local.time() >= start else local.date() - timedelta(days=1)


def missed_checkins(*, since: date, until: date, now=None) -> QuerySet[Stay]:
    """Published stays on nights ``since..until`` whose check-in window has closed with
    no check-in: candidate violations. A night the cadre turns out to have been on approved
    leave (sick leave approved the next day) is not one: R1 plans nobody on leave."""
    last = min(until, last_closed_night(now))
    return (Stay.objects.filter(week__status=PUBLISHED, night__gte=since, night__lte=last,
                                checked_in_at__isnull=True)
            .exclude(stayed_q())  # corrected to present
            .exclude(_approved_leave_on_the_night())
            .select_related("cadre", "village__township").order_by("night", "pk"))


def absent_spot_checks(*, since: date, until: date) -> QuerySet[SpotCheck]:
    """Spot checks on nights ``since..until`` that found the expected cadre absent."""
    return (SpotCheck.objects.filter(present=False, night__gte=since, night__lte=until)
            .select_related("expected_cadre", "village__township", "inspector").order_by("night", "pk"))


# --- The cadre's own nights ---------------------------------------------------------


def cadre_published_stays(*, cadre_id: int, since: date) -> QuerySet[Stay]:
    """A cadre's stays in published weeks from ``since`` on (drafts are never shown)."""
    return (Stay.objects.filter(cadre_id=cadre_id, week__status=PUBLISHED, night__gte=since)
            .select_related("village").order_by("night"))


def tonight_stay(*, cadre_id: int, now=None) -> Stay | None:
    """The published stay of the night the cadre's phone should show (after midnight and
    inside the window: the previous night's)."""
    night = current_night(now)
    return (Stay.objects.filter(cadre_id=cadre_id, night=night, week__status=PUBLISHED)
            .select_related("village").first())


def cadre_leaves(*, cadre_id: int) -> QuerySet[Leave]:
    return Leave.objects.filter(cadre_id=cadre_id).select_related("decided_by").order_by("-start")


def cadre_swaps(*, cadre_id: int) -> QuerySet[Swap]:
    return (Swap.objects.filter(Q(requested_by_id=cadre_id) | Q(colleague_id=cadre_id))
            .select_related("stay__village", "colleague", "requested_by", "colleague_stay__village")
            .order_by("-requested_at"))


def pending_leaves(*, scope) -> QuerySet[Leave]:
    return scope.filter(Leave.objects.filter(status=Leave.Status.PENDING)
                        .select_related("cadre").order_by("start"))


def pending_swaps(*, scope) -> QuerySet[Swap]:
    return scope.filter(Swap.objects.filter(status=Swap.Status.PENDING)
                        .select_related("stay__village", "requested_by", "colleague",
                                        "colleague_stay__village").order_by("stay__night"))


def leave_list(*, scope, status: str = "") -> QuerySet[Leave]:
    qs = Leave.objects.select_related("cadre", "decided_by").order_by("-requested_at")
    if status:
        qs = qs.filter(status=status)
    return scope.filter(qs)


def swap_list(*, scope, status: str = "") -> QuerySet[Swap]:
    qs = Swap.objects.select_related("stay__village", "requested_by", "colleague",
                                     "colleague_stay__village").order_by("-requested_at")
    if status:
        qs = qs.filter(status=status)
    return scope.filter(qs)


def spot_check_list(*, scope) -> QuerySet[SpotCheck]:
    return scope.filter(SpotCheck.objects.select_related(
        "village", "expected_cadre", "inspector__official", "inspector__cadre")
                        .order_by("-at"))
