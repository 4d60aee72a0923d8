"""The night log (民情夜记) of one cadre, and must-visit coverage of villages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.utils import timezone

from residency.models import Stay
from residency.nights.clock import night_of_local

from ..models import Consultation, Household, LinkedHousehold, MustVisit, Problem, Visit
from .common import night_range, period_range, window_end


@dataclass
class Night:
    night: date
    stay: Stay | None = None
    visits: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    consultations: list = field(default_factory=list)


def night_log(*, cadre_id: int, since: date, until: date) -> list[Night]:
    """The cadre's nights from ``until`` back to ``since``, each with its stay, visits,
    problems raised and consultations held. Five queries."""
    start, stop = night_range(since, until)
    end = window_end()
    nights: dict[date, Night] = {}

    def at(day: date) -> Night:
        if day not in nights:
            nights[day] = Night(night=day)
        return nights[day]

    for stay in Stay.objects.filter(cadre_id=cadre_id, night__gte=since, night__lte=until
                                    ).select_related("village"):
        at(stay.night).stay = stay
    visits = (Visit.objects.filter(cadre_id=cadre_id, visited_at__gte=start, visited_at__lt=stop)
              .select_related("household__village")
              .prefetch_related(Prefetch("problems", queryset=Problem.objects.only(
                  "id", "visit_id", "summary", "status"))).order_by("visited_at"))
    for visit in visits:
        at(night_of_local(timezone.localtime(visit.visited_at), end)).visits.append(visit)
    for problem in (Problem.objects.filter(raised_by_id=cadre_id, created_at__gte=start,
                                           created_at__lt=stop)
                    .select_related("owner__official", "owner__cadre", "household").order_by("created_at")):
        at(night_of_local(timezone.localtime(problem.created_at), end)).problems.append(problem)
    for consultation in (Consultation.objects.filter(convened_by_id=cadre_id, held_on__gte=since,
                                                     held_on__lte=until)
                         .select_related("village").prefetch_related("participants")):
        at(consultation.held_on).consultations.append(consultation)
    return [nights[d] for d in sorted(nights, reverse=True)]


@dataclass
class CoverageRow:
    label: str
    total: int = 0
    covered: int = 0

    @property
    def share(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 0


@dataclass
class Coverage:
    since: date
    until: date
    households: list
    by_category: list[CoverageRow]
    by_cadre: list[CoverageRow]
    total: CoverageRow


def coverage(*, village_ids, since: date, until: date) -> Coverage:
    """Which must-visit households of the villages were visited in [since, until], per
    category and per responsible cadre, with each household's last visit and by whom.
    Two queries, whatever the number of households."""
    start, stop = period_range(since, until)
    last = Visit.objects.filter(household=OuterRef("pk"), visited_at__lt=stop).order_by(
        "-visited_at", "-id")
    households = list(
        Household.objects.filter(village_id__in=list(village_ids)).exclude(categories="")
        .select_related("village")
        .annotate(last_visit_at=Subquery(last.values("visited_at")[:1]),
                  last_visit_by=Subquery(last.values("cadre__name")[:1]),
                  visited=Exists(Visit.objects.filter(household=OuterRef("pk"),
                                                      visited_at__gte=start, visited_at__lt=stop)))
        .prefetch_related(Prefetch("links", queryset=LinkedHousehold.objects.filter(
            until__isnull=True).select_related("cadre"), to_attr="open_links"))
        .order_by("village_id", "group", "head", "pk"))
    categories = {code: CoverageRow(str(label)) for code, label in MustVisit.choices}
    cadres: dict[int, CoverageRow] = {}
    nobody = CoverageRow("—")
    total = CoverageRow("")
    for h in households:
        total.total += 1
        total.covered += h.visited
        for code in h.categories:
            if code in categories:
                categories[code].total += 1
                categories[code].covered += h.visited
        rows = [cadres.setdefault(link.cadre_id, CoverageRow(link.cadre.name))
                for link in h.open_links] or [nobody]
        for row in rows:
            row.total += 1
            row.covered += h.visited
    by_cadre = sorted(cadres.values(), key=lambda r: r.label)
    if nobody.total:
        by_cadre.append(nobody)
    return Coverage(since=since, until=until, households=households,
                    by_category=list(categories.values()), by_cadre=by_cadre, total=total)



