"""Demo data of the night log for ``manage.py seed_demo`` (step ``nightlog.demo.seed``).

Ties every demo cadre to at least 5 households of the station village (must-visit
households first, every must-visit household gets a responsible cadre), gives out contact
cards, and writes about three months of visits (from sentence templates, never real
people's words), consultations and problems in every state, some overdue. Everything is
drawn from ``ctx.rng`` and written with ``bulk_create``."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext

from residency.access.roles import Role
from residency.demo.people import PeopleGenerator, group_names
from residency.models import Cadre, Official, Station, Stay, Village

from .linking import MINIMUM_LINKS, Candidate, suggest_links
from .models import (
    Consultation,
    ConsultationParticipant,
    ContactCard,
    Household,
    LinkedHousehold,
    MustVisit,
    OnSiteOffice,
    ParticipantKind,
    Problem,
    ProblemEvent,
    Visit,
    VisitRevision,
)

DAYS = 91  # about a quarter of visits before today
SITUATIONS = [
    "家中{m}口人，户主年纪大了，子女在外地打工，平时一个人在家。",
    "家中{m}口人，儿子打零工，每月收入约{i}元，母亲常年患关节炎。",
    "今年种了{a}亩水稻和{b}亩蔬菜，收成尚可，担心雨水多影响晚稻。",
    "家里养了{n}头湖羊，销路稳定，想扩大规模但缺少场地。",
    "在镇上开了一家小超市，生意平稳，雇了{b}名本村人。",
    "户主前年做过手术，医药费负担较重，已享受低保。",
    "一家{m}口，孙子在镇上读小学，上学路上没有路灯。",
    "经营一家羊毛衫加工作坊，订单比去年多，招工有些困难。",
    "户主是村民小组长，反映组里几户人家的用水问题。",
    "家里新盖了房子，老人身体尚好，对村里的环境整治比较满意。",
]
REQUESTS = [
    "希望帮忙给儿子找一份合适的工作。",
    "希望村里修一修通往田里的机耕路。",
    "希望了解今年的种粮补贴政策。",
    "希望帮助申请残疾人补助。",
    "希望解决自来水水压低的问题。",
    "希望在村口装几盏路灯。",
    "希望农技站来指导病虫害防治。",
    "",
    "",
]
SUGGESTIONS = [
    "建议村里多组织几次农技培训。",
    "建议把垃圾分类点挪到路口。",
    "建议定期上门看看独居老人。",
    "建议村务公开栏及时更新。",
    "",
    "",
    "",
]
PROBLEMS = [
    (Problem.Category.EMPLOYMENT, "帮家里的年轻人找一份合适的工作"),
    (Problem.Category.INFRASTRUCTURE, "机耕路坑洼，雨天无法通行"),
    (Problem.Category.INFRASTRUCTURE, "村口路段没有路灯"),
    (Problem.Category.WELFARE, "协助申请困难救助"),
    (Problem.Category.HEALTH, "老人慢性病用药报销手续繁琐"),
    (Problem.Category.FARMING, "灌溉渠堵塞影响用水"),
    (Problem.Category.DISPUTE, "邻里宅基地边界纠纷"),
    (Problem.Category.ENVIRONMENT, "河道漂浮垃圾需清理"),
]
RESOLUTIONS = [
    "与村里合作社联系，安排到合作社上班。",
    "村里组织人员现场修补了路面。",
    "联系镇供电所，已安装路灯。",
    "帮助准备材料，已提交镇民政办。",
    "现场协调双方，达成一致意见。",
    "组织保洁人员清理了河道。",
]
TOPICS = [
    "村道修缮和路灯安装",
    "农田灌溉和水利设施",
    "垃圾分类和环境整治",
    "困难家庭帮扶",
    "土地流转和种养大户发展",
    "独居老人照料",
]
MEASURES = [
    "村里先拿出方案，镇里帮助争取资金，一个月内动工。",
    "由村民小组长牵头摸排，村干部汇总后上报。",
    "党员分片包干，每周检查一次。",
]


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _text(rng, template: str) -> str:
    return template.format(m=rng.randint(2, 6), i=rng.choice((800, 1000, 1200, 1500)),
                           a=rng.randint(3, 30), b=rng.randint(1, 8), n=rng.randint(10, 80))


# Shares of the five must-visit categories (五必访) among households, drawn independently
# so that some households are in several; and of the 重点户 flag.
CATEGORY_SHARES = (
    ("hardship", 0.08),
    ("large_farm", 0.05),
    ("group_leader", 0.08),
    ("private_business", 0.06),
    ("key_person", 0.02),
)
KEY_SHARE_BESIDES_KEY_PERSONS = 0.035  # 重点户 = key-person households + ~3.5% others (~5%)
HOUSEHOLDS_PER_VILLAGE = (24, 36)



def seed_households(ctx, gen: PeopleGenerator, villages: list[Village]) -> str:
    """About 30 households a village, with must-visit categories. Runs inside residency's
    ``seed_directory`` (registered as a directory extra) so the random sequence, and with
    it the whole demo county, stays what it was for a seed."""
    rng = ctx.rng
    rows = []
    for village in villages:
        groups = group_names(rng, rng.randint(4, 8))
        for n in range(rng.randint(*HOUSEHOLDS_PER_VILLAGE)):
            head = gen.person(male=rng.random() < 0.8)
            categories = [code for code, share in CATEGORY_SHARES if rng.random() < share]
            group = rng.choice(groups)
            rows.append(Household(
                village=village,
                group=group,
                head=head.name,
                address=f"{village.township.name}{village.name}{group.removesuffix('组')}{n + 1}号",
                phone=gen.landline() if rng.random() < 0.15 else gen.mobile(),
                id_card=gen.id_card(male=head.male),
                members=rng.choices(range(1, 7), weights=(8, 18, 26, 24, 16, 8))[0],
                categories=categories,
                is_key="key_person" in categories or rng.random() < KEY_SHARE_BESIDES_KEY_PERSONS,
            ))
    Household.objects.bulk_create(rows, batch_size=1000)
    return gettext("%(households)d 户农户") % {"households": len(rows)}


def seed(ctx) -> None:  # noqa: C901 - one linear script, kept together on purpose
    rng = ctx.rng
    county = ctx.county
    if county is None:
        ctx.note("nightlog: 没有演示县,跳过。")
        return
    today = ctx.today
    now = timezone.now()

    villages = list(Village.objects.filter(township__county=county).order_by("pk"))
    households_by_village: dict[int, list[Household]] = defaultdict(list)
    for h in Household.objects.filter(village__township__county=county).order_by("pk"):
        households_by_village[h.village_id].append(h)
    cadres_by_village: dict[int, list[Cadre]] = defaultdict(list)
    cadre_user: dict[int, int] = {}
    for station in (Station.objects.filter(cadre__township__county=county, end__isnull=True,
                                           cadre__active=True)
                    .select_related("cadre").order_by("village_id", "cadre_id")):
        cadres_by_village[station.village_id].append(station.cadre)
        cadre_user[station.cadre_id] = station.cadre.user_id
    village_cadre: dict[int, tuple[int, str]] = {}
    for official in (Official.objects.filter(village__township__county=county,
                                             user__groups__name=Role.VILLAGE_CADRE.value)
                     .order_by("pk")):
        village_cadre.setdefault(official.village_id, (official.user_id, official.name))
    admins = dict(Official.objects.filter(township__county=county,
                                          user__groups__name=Role.TOWNSHIP_ADMIN.value)
                  .values_list("township_id", "user_id"))
    stays = {(cid, night): sid for sid, cid, night in Stay.objects.filter(
        cadre__township__county=county, night__gte=today - timedelta(days=DAYS),
        night__lte=today).values_list("pk", "cadre_id", "night")}
    nights_of: dict[int, list[date]] = defaultdict(list)
    for cid, night in sorted(stays):
        nights_of[cid].append(night)

    # 1. Ties: must-visit households first (hardship and key first), each gets a cadre;
    # then everyone below 5 is filled from the village's other households.
    since = today - timedelta(days=DAYS + 30)
    links: list[LinkedHousehold] = []
    linked: dict[int, list[Household]] = defaultdict(list)
    for village in villages:
        cadres = cadres_by_village.get(village.pk, [])
        households = households_by_village.get(village.pk, [])
        if not cadres or not households:
            continue
        by_id = {h.pk: h for h in households}
        candidates = [Candidate(h.pk, MustVisit.HARDSHIP in h.categories,
                                h.is_key or MustVisit.KEY_PERSON in h.categories,
                                len(h.categories)) for h in households if h.categories]
        for cadre_id, household_id in suggest_links({c.pk: 0 for c in cadres}, candidates):
            linked[cadre_id].append(by_id[household_id])
        others = [h for h in households if not h.categories]
        rng.shuffle(others)
        pool = others + [h for h in households if h.categories]
        for cadre in cadres:
            position = 0
            while len(linked[cadre.pk]) < MINIMUM_LINKS and position < len(pool):
                if pool[position] not in linked[cadre.pk]:
                    linked[cadre.pk].append(pool[position])
                position += 1
            if len(pool) > MINIMUM_LINKS:
                pool = pool[MINIMUM_LINKS:] + pool[:MINIMUM_LINKS]  # spread the ordinary ones
        for cadre in cadres:
            for h in linked[cadre.pk]:
                links.append(LinkedHousehold(cadre=cadre, household=h,
                                             since=since + timedelta(days=rng.randint(0, 20)),
                                             assigned_by_id=admins.get(village.township_id)))
    LinkedHousehold.objects.bulk_create(links, batch_size=2000)

    # 2. Contact cards to most linked households.
    cards = [ContactCard(cadre_id=link.cadre_id, household_id=link.household_id,
                         given_on=link.since + timedelta(days=rng.randint(1, 25)))
             for link in links if rng.random() < 0.8]
    ContactCard.objects.bulk_create(cards, batch_size=2000)

    # 3. Visits: one to three a week per cadre, most on stay nights, mostly ties.
    visits: list[Visit] = []
    start = today - timedelta(days=DAYS)
    for village in villages:
        households = households_by_village.get(village.pk, [])
        vc = village_cadre.get(village.pk)
        for cadre in cadres_by_village.get(village.pk, []):
            own_nights = nights_of.get(cadre.pk, [])
            days = sorted(set(own_nights) | {start + timedelta(days=rng.randint(0, DAYS))
                                             for _ in range(rng.randint(5, 12))})
            for day in days:
                for _ in range(rng.choice((1, 1, 2, 3))):
                    on_stay = (cadre.pk, day) in stays
                    hour = rng.randint(19, 21) if on_stay or rng.random() < 0.6 else rng.randint(9, 16)
                    at = _aware(day, hour, rng.choice((0, 10, 20, 30, 40, 50)))
                    if at > now - timedelta(minutes=5):
                        continue
                    household = (rng.choice(linked[cadre.pk])
                                 if linked[cadre.pk] and rng.random() < 0.75
                                 else rng.choice(households))
                    created = min(at + timedelta(minutes=rng.randint(10, 60 * 20)), now)
                    visits.append(Visit(
                        cadre=cadre, household=household, visited_at=at,
                        stay_id=stays.get((cadre.pk, day)) if hour >= 17 else None,
                        companions=(f"村干部{vc[1]}" if vc and rng.random() < 0.3 else ""),
                        situation=_text(rng, rng.choice(SITUATIONS)),
                        requests=rng.choice(REQUESTS), suggestions=rng.choice(SUGGESTIONS),
                        needs_follow_up=rng.random() < 0.12,
                        created_at=created, updated_at=created))
    Visit.objects.bulk_create(visits, batch_size=2000)
    VisitRevision.objects.bulk_create([
        VisitRevision(visit=v, number=1, saved_at=v.created_at, saved_by_id=cadre_user.get(v.cadre_id),
                      data={"household_id": v.household_id, "situation": v.situation,
                            "requests": v.requests, "suggestions": v.suggestions,
                            "visited_at": timezone.localtime(v.visited_at).isoformat(timespec="minutes")})
        for v in visits], batch_size=2000)

    # 4. Consultations, about one a month a village.
    consultations: list[Consultation] = []
    for village in villages:
        cadres = cadres_by_village.get(village.pk, [])
        if not cadres:
            continue
        for _ in range(rng.randint(1, 3)):
            consultations.append(Consultation(
                village=village, convened_by=rng.choice(cadres),
                held_on=start + timedelta(days=rng.randint(0, DAYS - 1)),
                mode=rng.choice((Consultation.Mode.INVITE_UP, Consultation.Mode.GO_DOWN)),
                place=rng.choice(("村部会议室", "文化礼堂", "村民小组长家")),
                topics=rng.choice(TOPICS), measures=rng.choice(MEASURES)))
    Consultation.objects.bulk_create(consultations, batch_size=2000)
    ConsultationParticipant.objects.bulk_create([
        ConsultationParticipant(consultation=c, kind=kind, count=rng.randint(2, 15))
        for c in consultations for kind in ParticipantKind.values], batch_size=2000)

    # 5. Problems from about one visit in eight and one consultation in three, in every state.
    problems: list[Problem] = []
    flows: list[list[tuple[str, str, datetime, int | None, str]]] = []
    sources = [("visit", v) for v in visits if v.needs_follow_up]
    sources += [("consultation", c) for c in consultations if rng.random() < 0.35]
    for kind, source in sources:
        if kind == "visit":
            created, village_id, cadre_id = source.created_at, source.household.village_id, source.cadre_id
        else:
            created = min(_aware(source.held_on, 20, 0), now)
            village_id, cadre_id = source.village_id, source.convened_by_id
        category, summary = rng.choice(PROBLEMS)
        raiser = cadre_user[cadre_id]
        vc = village_cadre.get(village_id)
        owner = vc[0] if vc and rng.random() < 0.5 else raiser
        due = timezone.localtime(created).date() + timedelta(days=rng.choice((3, 7, 14, 30)))
        age = (now - created).days
        roll = rng.random()
        if due < today:
            # Realistic follow-up: nearly every problem whose due date has passed was
            # resolved in time (or handed up to the township); a handful are overdue.
            status = ("raised" if roll < 0.01 else "in_progress" if roll < 0.025 else
                      "escalated" if roll < 0.07 else "resolved" if roll < 0.35 else "confirmed")
        else:
            status = ("raised" if roll < 0.3 else "in_progress" if roll < 0.7 else
                      "escalated" if roll < 0.75 else "resolved")
        if age < 2 and status in ("resolved", "confirmed"):
            status = "raised"
        steps = [("", "raised", created, raiser, "")]
        problem = Problem(visit=source if kind == "visit" else None,
                          consultation=source if kind == "consultation" else None,
                          household=source.household if kind == "visit" else None,
                          village_id=village_id, raised_by_id=cadre_id, summary=summary,
                          category=category, owner_id=owner, due_date=due, status=status,
                          urgency=rng.choice(("normal", "normal", "urgent", "critical")),
                          created_at=created, updated_at=created)
        t = created
        if status in ("in_progress", "resolved", "confirmed") or (
                status == "escalated" and rng.random() < 0.5):
            t = min(t + timedelta(hours=rng.randint(2, 48)), now)
            steps.append(("raised", "in_progress", t, owner, ""))
        if status == "escalated":
            t = min(t + timedelta(days=rng.randint(1, 5)), now)
            problem.escalated_at = t
            steps.append((steps[-1][1], "escalated", t, owner, "需要镇里协调解决"))
        if status in ("resolved", "confirmed"):
            # Resolved before the due date (a day or so after the last step at the least).
            in_time = max(1, (due - timezone.localtime(t).date()).days)
            t = min(t + timedelta(days=rng.randint(0, in_time), hours=rng.randint(1, 6)), now)
            problem.resolution = rng.choice(RESOLUTIONS)
            problem.on_the_spot = rng.random() < 0.4
            problem.resolved_at = t
            steps.append((steps[-1][1], "resolved", t, owner, problem.resolution))
        if status == "confirmed":
            t = min(t + timedelta(days=rng.randint(0, 5)), now)
            problem.satisfied = rng.random() < 0.85
            problem.confirmed_at = t
            steps.append(("resolved", "confirmed", t, raiser, ""))
        problem.updated_at = t
        problems.append(problem)
        flows.append(steps)
    Problem.objects.bulk_create(problems, batch_size=2000)
    ProblemEvent.objects.bulk_create([
        ProblemEvent(problem=p, from_status=a, to_status=b, at=at, by_id=by, note=note)
        for p, steps in zip(problems, flows, strict=True) for a, b, at, by, note in steps],
        batch_size=2000)
    # 现场办公 held for the problems resolved on the spot (counted in the statistics).
    OnSiteOffice.objects.bulk_create([
        OnSiteOffice(problem=p, held_on=timezone.localtime(p.resolved_at).date(),
                     place=rng.choice(("村部", "农户家中", "田头", "村文化礼堂")),
                     attendees=rng.choice(("镇农办、村书记、农户本人", "驻村干部、村委会主任",
                                           "镇社会事务办、村妇女主任")),
                     outcome=p.resolution, recorded_by_id=p.owner_id, recorded_at=p.resolved_at)
        for p in problems if p.on_the_spot], batch_size=2000)
    overdue = sum(1 for p in problems if p.status in ("raised", "in_progress") and p.due_date < today)
    ctx.note(f"nightlog: {len(links)} 个联系户, {len(cards)} 张联系卡, {len(visits)} 条走访, "
             f"{len(consultations)} 次集中恳谈, {len(problems)} 个问题(其中 {overdue} 个逾期)。")
