from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from residency.access.scoping import CADRE, Scope
from residency.models import Cadre, Station
from residency.roster import duty

from ..grading import Counts
from ..models import BallotMark, PaperTally, RepresentativeKind, ReviewMeeting


def stationed_in_year(*, year: int) -> Q:
    """Stations that put a cadre on duty on some night of the calendar year
    (``residency.roster.duty``; whether he is still in post does not matter to the year's
    appraisal)."""
    return duty.duty_stations_q(since=date(year, 1, 1), until=date(year, 12, 31), in_post=False)


def meeting_cadres(*, meeting: ReviewMeeting) -> QuerySet[Cadre]:
    """Every cadre stationed in the meeting's village at some time in its year: the duty
    selector over the year (a closed meeting's list does not change when a cadre later
    leaves his post)."""
    return duty.stationed_cadres(village_id=meeting.village_id, since=date(meeting.year, 1, 1),
                                 until=date(meeting.year, 12, 31), in_post=False
                                 ).select_related("user").order_by("name", "pk")


def _lists_cadre(cadre_id: int | None) -> Exists:
    """The meeting's cadre list holds ``cadre_id``: the rule of ``meeting_cadres`` (a
    station in its village overlapping its year, in post or not), as a filter on meetings
    whose year is a column."""
    return Exists(Station.objects.filter(
        Q(end__isnull=True) | Q(end__year__gte=OuterRef("year")),
        cadre_id=cadre_id, village_id=OuterRef("village_id"), start__year__lte=OuterRef("year")))


def meeting_list(*, scope: Scope, year: int | None = None, township_id: int | None = None
                 ) -> QuerySet[ReviewMeeting]:
    """The meetings in scope. A cadre's are the meetings whose cadre list holds him, so a
    cadre who moved villages during the year still reaches the old village's meeting (and
    submits his 述职 there), and not his new village's meetings of years before he came."""
    qs = ReviewMeeting.objects.select_related("village__township").annotate(
        ballot_count=Count("ballots", distinct=True),
        report_count=Count("reports", distinct=True),
        has_paper=Exists(PaperTally.objects.filter(meeting=OuterRef("pk")))).order_by(
        "-year", "village__township__code", "village__code", "pk")
    if year:
        qs = qs.filter(year=year)
    if township_id:
        qs = qs.filter(village__township_id=township_id)
    if scope.level == CADRE:
        return qs.filter(_lists_cadre(scope.cadre_id))
    return scope.filter(qs)


def rating_counts(*, cadre_ids: list[int], year: int, meeting_id: int | None = None
                  ) -> dict[int, dict[str, Counts]]:
    """Per cadre and kind of representative: online marks plus paper tallies (two queries)."""
    result: dict[int, dict[str, Counts]] = defaultdict(
        lambda: {k: Counts() for k in RepresentativeKind.values})
    marks = BallotMark.objects.filter(cadre_id__in=cadre_ids, ballot__meeting__year=year)
    tallies = PaperTally.objects.filter(cadre_id__in=cadre_ids, meeting__year=year)
    if meeting_id:
        marks = marks.filter(ballot__meeting_id=meeting_id)
        tallies = tallies.filter(meeting_id=meeting_id)
    for row in (marks.values("cadre_id", "ballot__kind")
                .annotate(s=Count("id", filter=Q(rating="satisfied")),
                          b=Count("id", filter=Q(rating="basic")),
                          u=Count("id", filter=Q(rating="unsatisfied")))):
        kinds = result[row["cadre_id"]]
        kinds[row["ballot__kind"]] = kinds[row["ballot__kind"]] + Counts(row["s"], row["b"], row["u"])
    for row in (tallies.values("cadre_id", "kind")
                .annotate(s=Sum("satisfied"), b=Sum("basic"), u=Sum("unsatisfied"))):
        kinds = result[row["cadre_id"]]
        kinds[row["kind"]] = kinds[row["kind"]] + Counts(row["s"] or 0, row["b"] or 0, row["u"] or 0)
    return result


def meeting_results(*, meeting: ReviewMeeting, weights) -> list[dict]:
    """One row per cadre of the meeting: counts and scores by kind and combined."""
    from ..grading import satisfaction

    cadres = list(meeting_cadres(meeting=meeting))
    counts = rating_counts(cadre_ids=[c.pk for c in cadres], year=meeting.year,
                           meeting_id=meeting.pk)
    rows = []
    for cadre in cadres:
        by_kind = counts[cadre.pk]
        combined = by_kind["party"] + by_kind["resident"]
        rows.append({"cadre": cadre, "party": by_kind["party"], "resident": by_kind["resident"],
                     "combined": combined,
                     "party_score": satisfaction(by_kind["party"], weights),
                     "resident_score": satisfaction(by_kind["resident"], weights),
                     "score": satisfaction(combined, weights)})
    return rows
