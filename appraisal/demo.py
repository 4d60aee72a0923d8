"""The appraisal demo step of ``seed_demo``: a realistic year of rule R3 in the demo county.

Every village holds its 述职评议大会 (most already closed) where each stationed cadre
reported; about half the villages tallied paper ballots, the others voted online with
single-use codes. Violations are spread as in life: most cadres none, some one, a few
two, one or two three or more, plus candidates still to decide, dismissed ones and a few
appeals. Some final grades are set and the year's 金口碑 winners chosen.

Deterministic for a seed (only ``ctx.rng``), written with ``bulk_create``.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from residency.access.scoping import COUNTY, Scope
from residency.models import Official, Station, Village

from .grading import COMPETENT, EXCELLENT
from .models import (
    Appeal,
    Appraisal,
    AppraisalRules,
    Ballot,
    BallotCode,
    BallotMark,
    CadreReport,
    GoldenAward,
    PaperTally,
    PenaltyAction,
    ReviewMeeting,
    Violation,
)
from .selectors.appraisals import iter_appraisal_rows
from .selectors.meetings import stationed_in_year
from .services.meetings import code_digest
from .services.violations import violation_candidates_sync

REASONS = [
    "督查暗访时不在村部住夜",
    "排定住夜当晚未签到,事后无法说明",
    "当周应住夜一晚,实际未住",
    "群众反映当晚不在村,经核实属实",
    "未经批准与同事私下换班,当晚无人住夜",
]
APPEALS = ["当晚临时被镇里召回处理防汛,有通知为证", "签到设备故障,村干部可以作证",
           "已提前请假,审批在系统外办理"]
REPORT = ("本年度按排班住夜,联系农户{h}户,走访五必访户,协调解决道路、就业、低保等问题,"
          "下一步将继续做好住村服务。")


def _when(day: date, hour: int = 20) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _day_in_year(rng, year: int, last: date) -> date:
    first = date(year, 1, 1)
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


@transaction.atomic
def seed(ctx) -> None:
    county = ctx.county
    if county is None:
        ctx.note("appraisal: no demo county, skipped")
        return
    rng = ctx.rng
    year = ctx.today.year
    last = min(ctx.today - timedelta(days=1), date(year, 12, 31))
    User = get_user_model()
    org = User.objects.filter(official__county=county, groups__name="org_department").first()
    if org is None:
        ctx.note("appraisal: no organisation department login, skipped")
        return
    admins = dict(Official.objects.filter(township__county=county)
                  .values_list("township_id", "user_id"))
    # The organisation department keeps 优秀 to a small share, as county quotas do (about
    # one cadre in seven): 优秀 from a satisfaction of 94.
    AppraisalRules.objects.get_or_create(county=county, year=year, defaults={
        "updated_by": org, "excellent_min_satisfaction": Decimal("94.0")})

    villages = list(Village.objects.filter(township__county=county).order_by("township__code", "code"))
    stations = list(Station.objects.filter(stationed_in_year(year=year), village__township__county=county)
                    .order_by("village_id", "cadre_id")
                    .values_list("village_id", "cadre_id", "cadre__user_id", "cadre__township_id"))
    by_village: dict[int, list[int]] = {}
    for village_id, cadre_id, _u, _t in stations:
        by_village.setdefault(village_id, []).append(cadre_id)
    cadre_user = {c: u for _v, c, u, _t in stations}
    cadre_township = {c: t for _v, c, _u, t in stations}
    quality = {c: _quality(rng) for c in cadre_user}

    # --- review meetings --------------------------------------------------------------
    meetings = []
    for village in villages:
        held = max(date(year, 1, 2), last - timedelta(days=rng.randrange(0, 40)))
        closed = rng.random() < 0.85
        meetings.append(ReviewMeeting(
            village=village, year=year, held_on=held, place=f"{village.name}村部会议室",
            attendees=f"党员代表 {rng.randint(8, 14)} 人,群众代表 {rng.randint(15, 30)} 人,村干部",
            status="closed" if closed else "open", closed_at=_when(held, 21) if closed else None,
            closed_by_id=org.pk if closed else None, created_by_id=admins.get(village.township_id)))
    meetings = ReviewMeeting.objects.bulk_create(meetings)
    reports, tallies, codes, ballots, marks_for = [], [], [], [], []
    for meeting in meetings:
        cadres = by_village.get(meeting.village_id, [])
        for cadre_id in cadres:
            reports.append(CadreReport(meeting=meeting, cadre_id=cadre_id,
                                       text=REPORT.format(h=rng.randint(5, 12)),
                                       submitted_at=_when(meeting.held_on, 9)))
        online = rng.random() < 0.5
        for kind, voters in (("party", rng.randint(8, 14)), ("resident", rng.randint(15, 30))):
            if not online:
                for cadre_id in cadres:
                    s, b, u = _split(rng, voters, quality[cadre_id])
                    tallies.append(PaperTally(meeting=meeting, cadre_id=cadre_id, kind=kind,
                                              satisfied=s, basic=b, unsatisfied=u))
                continue
            printed = voters + rng.randint(0, 3)
            for n in range(printed):
                raw = f"demo-{ctx.seed}-{meeting.pk}-{kind}-{n}-{rng.random()}"
                codes.append(BallotCode(meeting=meeting, kind=kind, code_hash=code_digest(raw),
                                        used=n < voters))
            for _n in range(voters):
                ballots.append(Ballot(meeting=meeting, kind=kind))
                marks_for.append(cadres)
    CadreReport.objects.bulk_create(reports, batch_size=1000)
    PaperTally.objects.bulk_create(tallies, batch_size=1000)
    BallotCode.objects.bulk_create(codes, batch_size=1000)
    ballots = Ballot.objects.bulk_create(ballots, batch_size=1000)
    marks = []
    for ballot, cadres in zip(ballots, marks_for, strict=True):
        for cadre_id in cadres:
            marks.append(BallotMark(ballot=ballot, cadre_id=cadre_id,
                                    rating=_rating(rng, quality[cadre_id])))
    BallotMark.objects.bulk_create(marks, batch_size=2000)

    # --- violations -----------------------------------------------------------------
    cadre_ids = sorted(cadre_user)
    rng.shuffle(cadre_ids)
    n = len(cadre_ids)
    plan: dict[int, int] = {}
    heavy = cadre_ids[:2]
    plan.update({heavy[0]: 3, heavy[1]: 4} if len(heavy) == 2 else {})
    for cid in cadre_ids[2:2 + max(1, n // 60)]:
        plan[cid] = 2
    for cid in cadre_ids[2 + max(1, n // 60):2 + max(1, n // 60) + n // 12]:
        plan[cid] = 1
    rest = cadre_ids[2 + max(1, n // 60) + n // 12:]
    violations = []
    for cid, count in plan.items():
        days: set[date] = set()
        while len(days) < count:  # one incident per night: distinct nights
            days.add(_day_in_year(rng, year, last))
        for day in sorted(days):
            violations.append(Violation(
                cadre_id=cid, occurred_on=day, source="manual", reason=rng.choice(REASONS),
                status="confirmed", created_by_id=admins.get(cadre_township[cid]),
                decided_by_id=admins.get(cadre_township[cid]) or org.pk,
                decided_at=_when(min(last, day + timedelta(days=2)), 10), decision_note="经核实属实"))
    for cid in rest[: n // 40]:  # still to decide
        violations.append(Violation(cadre_id=cid, occurred_on=_day_in_year(rng, year, last),
                                    source="manual", reason=rng.choice(REASONS)))
    for cid in rest[n // 40: n // 40 + n // 60]:  # dismissed after checking
        day = _day_in_year(rng, year, last)
        violations.append(Violation(cadre_id=cid, occurred_on=day, source="manual",
                                    reason=rng.choice(REASONS), status="dismissed",
                                    decided_by_id=admins.get(cadre_township[cid]) or org.pk,
                                    decided_at=_when(min(last, day + timedelta(days=1)), 10),
                                    decision_note="当晚已请假,不予认定"))
    violations = Violation.objects.bulk_create(violations, batch_size=1000)

    confirmed_single = [v for v in violations if v.status == "confirmed" and plan.get(v.cadre_id) == 1]
    appeals = []
    for i, v in enumerate(confirmed_single[:8]):
        outcome = ("pending", "upheld", "overturned")[i % 3]
        decided = outcome != "pending"
        appeals.append(Appeal(violation=v, text=rng.choice(APPEALS), filed_by_id=cadre_user[v.cadre_id],
                              filed_at=_when(min(last, v.occurred_on + timedelta(days=3)), 11),
                              outcome=outcome, decided_by_id=org.pk if decided else None,
                              decided_at=_when(last, 15) if decided else None,
                              decision_note=("经复核,情况属实,撤销认定" if outcome == "overturned"
                                             else "证据不足,维持认定") if decided else ""))
    Appeal.objects.bulk_create(appeals)

    actions = []
    twos = [cid for cid, c in plan.items() if c == 2]
    for cid in twos[: len(twos) // 2]:
        actions.append(PenaltyAction(cadre_id=cid, year=year, kind="talk", held_on=last,
                                     held_by="县委组织部副部长", recorded_by=org))
    if heavy:
        actions.append(PenaltyAction(cadre_id=heavy[-1], year=year, kind="talk", held_on=last,
                                     held_by="县委组织部副部长", recorded_by=org))
        actions.append(PenaltyAction(cadre_id=heavy[-1], year=year, kind="handling", held_on=last,
                                     held_by="县委组织部", measure="调整工作岗位,取消当年评先资格",
                                     recorded_by=org))
    PenaltyAction.objects.bulk_create(actions)

    # --- grades and 金口碑 ----------------------------------------------------------
    scope = Scope(role=None, level=COUNTY, county_ids=frozenset({county.pk}))
    rows = list(iter_appraisal_rows(scope=scope, year=year))
    graded = []
    for row in rows:
        if rng.random() < 0.3:
            grade = row.proposed_grade
            if grade == EXCELLENT and row.violations:
                grade = COMPETENT
            graded.append(Appraisal(cadre_id=row.cadre_id, year=year, final_grade=grade, set_by=org,
                                    set_at=_when(last, 16)))
    Appraisal.objects.bulk_create(graded)
    candidates = sorted((r for r in rows if r.golden_candidate),
                        key=lambda r: (-(r.satisfaction or 0), r.cadre_id))
    GoldenAward.objects.bulk_create([GoldenAward(cadre_id=r.cadre_id, year=year, selected_by=org,
                                                 selected_at=_when(last, 17)) for r in candidates[:12]])
    # Candidates from the roster's own records (missed check-ins, absent spot checks).
    found = violation_candidates_sync(since=date(year, 1, 1), until=last)
    ctx.note(f"评议: {len(meetings)} 场述职评议大会, {len(ballots)} 张网上评议票, "
             f"{len(tallies)} 条纸质票统计, {len(violations) + found} 条违规记录"
             f"(已认定 {sum(plan.values())} 条, 来自住夜与暗访的待认定线索 {found} 条), "
             f"{len(appeals)} 件申诉, {len(graded)} 人已确定等次, {min(12, len(candidates))} 人获金口碑。")


def _quality(rng) -> float:
    """The share of representatives who rate a cadre 满意. As in a real county most cadres
    are well liked (scores of about 80 to 95, a few perfect), and about one in thirty is
    poorly rated (scores of about 50 to 70)."""
    if rng.random() < 0.03:
        return rng.uniform(0.3, 0.6)
    return rng.betavariate(14, 3.2)


def _rating(rng, quality: float) -> str:
    x = rng.random()
    if x < quality:
        return "satisfied"
    if x < quality + (1 - quality) * 0.75:  # the rest mostly 基本满意, few 不满意
        return "basic"
    return "unsatisfied"


def _split(rng, voters: int, quality: float) -> tuple[int, int, int]:
    counts = {"satisfied": 0, "basic": 0, "unsatisfied": 0}
    for _i in range(voters):
        counts[_rating(rng, quality)] += 1
    return counts["satisfied"], counts["basic"], counts["unsatisfied"]
