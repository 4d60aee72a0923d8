"""The meeting season (述职评议大会, rule R3): which villages have not held this year's
meeting, and which of a meeting's cadres still lack a report or a rating."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q

from residency.access.roles import Role
from residency.access.scoping import Scope
from residency.models import Cadre, Official, Station, Village

from ..models import BallotMark, CadreReport, PaperTally, ReviewMeeting
from .meetings import meeting_cadres


@dataclass
class VillageWithoutMeeting:
    village: Village
    meeting: ReviewMeeting | None  # arranged for a later date, or None: not arranged
    cadres: list[Cadre] = field(default_factory=list)
    organisers: list = field(default_factory=list)  # the township's admins (users)


def villages_without_meeting(*, year: int, today: date, scope: Scope | None = None,
                             township_ids=None) -> list[VillageWithoutMeeting]:
    """Villages whose review meeting of ``year`` has not been held by ``today`` (none
    arranged, or arranged for a later date), with the cadres stationed there now and the
    township admins who organise it. Four queries."""
    held = ReviewMeeting.objects.filter(village=OuterRef("pk"), year=year, held_on__lte=today)
    villages = Village.objects.exclude(Exists(held)).select_related("township").order_by(
        "township__county__code", "township__code", "code")
    if scope is not None:
        villages = scope.filter(villages)
    if township_ids is not None:
        villages = villages.filter(township_id__in=list(township_ids))
    villages = list(villages)
    ids = [v.pk for v in villages]
    planned = {m.village_id: m for m in ReviewMeeting.objects.filter(village_id__in=ids, year=year)}
    cadres: dict[int, list[Cadre]] = defaultdict(list)
    for station in (Station.objects.filter(village_id__in=ids, end__isnull=True, cadre__active=True)
                    .select_related("cadre").order_by("cadre__name")):
        cadres[station.village_id].append(station.cadre)
    organisers: dict[int, list] = defaultdict(list)
    for official in (Official.objects.filter(
            township_id__in={v.township_id for v in villages}, user__is_active=True,
            user__groups__name=Role.TOWNSHIP_ADMIN.value)
            .select_related("user").order_by("name").distinct()):
        organisers[official.township_id].append(official)
    return [VillageWithoutMeeting(village=v, meeting=planned.get(v.pk), cadres=cadres[v.pk],
                                  organisers=organisers[v.township_id]) for v in villages]


@dataclass(frozen=True)
class CadreGap:
    cadre: Cadre
    has_report: bool
    has_rating: bool


def meeting_gaps(*, meeting: ReviewMeeting) -> list[CadreGap]:
    """The meeting's cadres with no report (述职) or no rating (no online mark and no paper
    tally) in this meeting. One query."""
    cadres = meeting_cadres(meeting=meeting).annotate(
        has_report=Exists(CadreReport.objects.filter(meeting=meeting, cadre=OuterRef("pk"))),
        has_rating=Exists(BallotMark.objects.filter(ballot__meeting=meeting, cadre=OuterRef("pk")))
        | Exists(PaperTally.objects.filter(meeting=meeting, cadre=OuterRef("pk"))
                 .filter(Q(satisfied__gt=0) | Q(basic__gt=0) | Q(unsatisfied__gt=0))))
    return [CadreGap(cadre=c, has_report=c.has_report, has_rating=c.has_rating)
            for c in cadres if not (c.has_report and c.has_rating)]
