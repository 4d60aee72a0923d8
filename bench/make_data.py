"""Fill PostgreSQL with benchmark-sized data (issue 14, item 1).

Run from the project root, against a database of its own (it resets the demo data)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tx_bench \\
        .venv/bin/python bench/make_data.py --scale county
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tx_province \\
        .venv/bin/python bench/make_data.py --scale province

- ``county``: the demo county (``seed_demo --reset``: 12 townships, 174 villages, 929 cadres,
  the demo logins) plus a year of history before the demo's own weeks: published roster
  weeks, one stay a cadre a week with its check-in, visits on the nights stayed, problems
  raised on some of them, a meeting (集中恳谈) per village a quarter and an incident
  (a confirmed 住夜缺勤) for each stay without a check-in.
- ``province``: the same demo county plus 89 generated counties, to 90 counties, 1,300
  townships, 20,000 villages and 107,000 cadres (each with a login), 12 households a village,
  and a quarter (13 weeks) of the same history for every county.

Names are generated (``residency.demo.people``), never real. Rows are written with
``bulk_create`` in batches (one INSERT of many rows each), townships a chunk at a time so
memory stays flat. Prints what it made and how long each part took.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxiang.settings.local")

BATCH = 5000
PROVINCE = {"counties": 90, "townships": 1300, "villages": 20000, "cadres": 107000}
HOUSEHOLDS_PER_VILLAGE = 12
SITUATIONS = ("家中老人身体尚好,子女在外务工。", "刚收完稻谷,询问收购价格。", "孩子今年考上大学,学费有困难。",
              "想了解光伏补贴政策。", "反映村道路灯不亮。", "家庭和睦,生产生活正常。")
PROBLEM_SUMMARIES = ("村道路灯损坏", "低保申请咨询", "邻里宅基地纠纷", "灌溉渠堵塞", "垃圾清运不及时",
                     "医保缴费咨询", "就业培训需求")
TOPICS = ("村庄环境整治", "农房改造", "共富工坊建设", "道路拓宽征求意见", "垃圾分类")


def setup_django() -> None:
    import django

    django.setup()


class Clock:
    """Times each part and keeps the lines to print."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.lines: list[str] = []

    def part(self, label: str, began: float, **counts: int) -> None:
        figures = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        line = f"{label}: {figures} in {time.monotonic() - began:.1f} s"
        self.lines.append(line)
        print(line, flush=True)


def bulk(model, rows: list) -> list:
    """``bulk_create`` in batches; returns the rows with their primary keys (PostgreSQL)."""
    model.objects.bulk_create(rows, batch_size=BATCH)
    return rows


# --- the directory of a province ----------------------------------------------------------


def make_province_directory(rng: random.Random, clock: Clock) -> None:
    """89 generated counties next to the demo county, to the province's totals."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from residency.access.roles import Role
    from residency.demo.people import PeopleGenerator, village_names
    from residency.demo.places import office_position
    from residency.models import Cadre, County, Official, Station, Township, Village

    began = time.monotonic()
    User = get_user_model()
    password = make_password("Bench2014")
    gen = PeopleGenerator(rng)
    have = {"townships": Township.objects.count(), "villages": Village.objects.count(),
            "cadres": Cadre.objects.count()}
    counties_new = PROVINCE["counties"] - County.objects.count()
    townships_new = PROVINCE["townships"] - have["townships"]
    villages_new = PROVINCE["villages"] - have["villages"]
    cadres_new = PROVINCE["cadres"] - have["cadres"]

    with transaction.atomic():
        names = village_names(rng, counties_new, taken=set())
        counties = bulk(County, [County(code=f"339{i:03d}", name=f"{name}县")
                                 for i, name in enumerate(names, start=1)])
        per_county = _spread(townships_new, counties_new)
        townships = []
        for county, count in zip(counties, per_county, strict=True):
            for j, name in enumerate(village_names(rng, count, taken=set()), start=1):
                kind = Township.Kind.SUBDISTRICT if j <= 2 else Township.Kind.TOWN
                townships.append(Township(county=county, code=f"{j:03d}", kind=kind,
                                          name=name + ("街道" if j <= 2 else "镇")))
        bulk(Township, townships)
        per_township = _spread(villages_new, len(townships))
        villages = []
        for t_index, (township, count) in enumerate(zip(townships, per_township, strict=True)):
            for j, name in enumerate(village_names(rng, count, taken=set()), start=1):
                lat, lon = office_position(t_index, f"{township.county.code}-{township.code}-{j:03d}")
                villages.append(Village(township=township, code=f"{j:03d}", name=name + "村",
                                        latitude=lat, longitude=lon))
        bulk(Village, villages)
    clock.part("province places", began, counties=len(counties), townships=len(townships),
               villages=len(villages))

    began = time.monotonic()
    per_village = _spread(cadres_new, len(villages))
    cadre_group = Group.objects.get(name=Role.CADRE.value)
    admin_group = Group.objects.get(name=Role.TOWNSHIP_ADMIN.value)
    through = User.groups.through
    start = date(date.today().year - 1, 1, 1)
    made = 0
    with transaction.atomic():
        admins = bulk(User, [User(username=f"ptownship{t.pk}", first_name=gen.person().name,
                                  password=password) for t in townships])
        bulk(through, [through(user_id=u.pk, group_id=admin_group.pk) for u in admins])
        bulk(Official, [Official(user_id=u.pk, name=u.first_name, township=t)
                        for u, t in zip(admins, townships, strict=True)])
    for chunk_start in range(0, len(villages), 2000):
        chunk = villages[chunk_start:chunk_start + 2000]
        counts = per_village[chunk_start:chunk_start + 2000]
        with transaction.atomic():
            placements = [v for v, n in zip(chunk, counts, strict=True) for _ in range(n)]
            people = [gen.person() for _ in placements]
            users = bulk(User, [User(username=f"pcadre{made + i + 1:06d}", first_name=p.name,
                                     password=password) for i, p in enumerate(people)])
            bulk(through, [through(user_id=u.pk, group_id=cadre_group.pk) for u in users])
            cadres = bulk(Cadre, [Cadre(user_id=u.pk, township_id=v.township_id, name=p.name,
                                        position="科员", phone=gen.mobile())
                                  for u, p, v in zip(users, people, placements, strict=True)])
            bulk(Station, [Station(cadre=c, village=v, start=start)
                           for c, v in zip(cadres, placements, strict=True)])
            made += len(cadres)
    clock.part("province cadres", began, cadres=made, township_admins=len(townships))

    began = time.monotonic()
    from nightlog.models import Household

    count = 0
    for chunk_start in range(0, len(villages), 2000):
        rows = [Household(village=v, head=gen.person().name, group=f"{k % 6 + 1}组",
                          address=f"{v.name}{k + 1}号", members=1 + (k % 5))
                for v in villages[chunk_start:chunk_start + 2000]
                for k in range(HOUSEHOLDS_PER_VILLAGE)]
        with transaction.atomic():
            bulk(Household, rows)
        count += len(rows)
    clock.part("province households", began, households=count)


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


# --- history: stays, check-ins, visits, problems, meetings, incidents ----------------------


def make_history(rng: random.Random, clock: Clock, *, weeks: int) -> None:
    """``weeks`` weeks of history before the earliest roster week already in the database,
    for every township, a chunk of townships at a time."""
    from residency.models import RosterWeek, Township

    first = RosterWeek.objects.order_by("week_start").values_list("week_start", flat=True).first()
    today = date.today()
    end = first or (today - timedelta(days=today.weekday()))
    mondays = [end - timedelta(weeks=w) for w in range(weeks, 0, -1)]
    township_ids = list(Township.objects.order_by("pk").values_list("pk", flat=True))
    totals: dict[str, int] = defaultdict(int)
    began = time.monotonic()
    chunk = 12 if len(township_ids) <= 12 else 40
    for i in range(0, len(township_ids), chunk):
        part = _history_for(rng, township_ids[i:i + chunk], mondays)
        for key, value in part.items():
            totals[key] += value
        if len(township_ids) > chunk:
            done = min(i + chunk, len(township_ids))
            print(f"  history: {done:,}/{len(township_ids):,} townships, "
                  f"{totals['stays']:,} stays, {time.monotonic() - began:.0f} s", flush=True)
    clock.part(f"history ({weeks} weeks from {mondays[0]} to {end - timedelta(days=1)})",
               began, **totals)


def _history_for(rng: random.Random, township_ids: list[int], mondays: list[date]) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from appraisal.models import Violation
    from nightlog.models import Consultation, Household, LinkedHousehold, Problem, Visit
    from residency.models import RosterWeek, Station, Stay, Village
    from residency.nights.workdays import is_workday

    tz = timezone.get_current_timezone()
    now = timezone.now()
    stations = (Station.objects.filter(end__isnull=True, cadre__township_id__in=township_ids,
                                       cadre__active=True)
                .order_by("village_id", "cadre_id")
                .values_list("cadre_id", "cadre__user_id", "village_id", "cadre__township_id"))
    by_village: dict[int, list[tuple[int, int]]] = defaultdict(list)
    township_of: dict[int, int] = {}
    for cadre_id, user_id, village_id, township_id in stations:
        by_village[village_id].append((cadre_id, user_id))
        township_of[village_id] = township_id
    office = {pk: (lat, lon) for pk, lat, lon in
              Village.objects.filter(township_id__in=township_ids)
              .values_list("pk", "latitude", "longitude")}
    households: dict[int, list[int]] = defaultdict(list)
    for pk, village_id in (Household.objects.filter(village__township_id__in=township_ids)
                           .values_list("pk", "village_id")):
        households[village_id].append(pk)
    linked: dict[int, list[int]] = defaultdict(list)
    for cadre_id, household_id in (LinkedHousehold.objects
                                   .filter(cadre__township_id__in=township_ids, until__isnull=True)
                                   .values_list("cadre_id", "household_id")):
        linked[cadre_id].append(household_id)
    taken = set(Stay.objects.filter(village__township_id__in=township_ids,
                                    night__gte=mondays[0])
                .values_list("cadre_id", "night"))
    counts: dict[str, int] = defaultdict(int)

    with transaction.atomic():
        weeks = bulk(RosterWeek, [
            RosterWeek(township_id=t, week_start=m, status=RosterWeek.Status.PUBLISHED,
                       published_at=datetime.combine(m - timedelta(days=3), dtime(17), tz),
                       planned_at=datetime.combine(m - timedelta(days=3), dtime(16), tz))
            for t in township_ids for m in mondays])
        week_of = {(w.township_id, w.week_start): w.pk for w in weeks}
        counts["roster_weeks"] = len(weeks)
        stays = []
        for w_index, monday in enumerate(mondays):
            nights = [monday + timedelta(days=d) for d in range(7)
                      if is_workday(monday + timedelta(days=d))]
            if not nights:
                continue
            for village_id, cadres in by_village.items():
                lat, lon = office.get(village_id, (None, None))
                for c_index, (cadre_id, _user_id) in enumerate(cadres):
                    night = nights[(c_index + w_index) % len(nights)]
                    if (cadre_id, night) in taken:
                        continue
                    stay = Stay(cadre_id=cadre_id, village_id=village_id, night=night,
                                week_id=week_of[(township_of[village_id], monday)],
                                created_at=datetime.combine(monday - timedelta(days=3),
                                                            dtime(16), tz))
                    if rng.random() < 0.96:
                        at = datetime.combine(night, dtime(19, 30), tz) + timedelta(
                            minutes=rng.randrange(120))
                        stay.checked_in_at = at
                        if lat is not None:
                            stay.checkin_latitude = Decimal(lat) + Decimal(rng.randrange(900)) / 1_000_000
                            stay.checkin_longitude = lon
                            stay.checkin_accuracy_m = 10 + rng.randrange(40)
                            stay.checkin_distance_m = rng.randrange(100)
                            stay.checkin_position_status = "ok"
                    stays.append(stay)
        bulk(Stay, stays)
        counts["stays"] = len(stays)
        counts["check_ins"] = sum(s.checked_in_at is not None for s in stays)

        visits = []
        for stay in stays:
            if stay.checked_in_at is None or rng.random() > 0.8:
                continue
            pool = linked.get(stay.cadre_id) or households.get(stay.village_id)
            if not pool:
                continue
            at = stay.checked_in_at + timedelta(minutes=20 + rng.randrange(60))
            visits.append(Visit(cadre_id=stay.cadre_id, household_id=rng.choice(pool),
                                visited_at=at, stay_id=stay.pk,
                                situation=rng.choice(SITUATIONS),
                                needs_follow_up=rng.random() < 0.1,
                                created_at=at + timedelta(minutes=5),
                                updated_at=at + timedelta(minutes=5)))
        bulk(Visit, visits)
        counts["visits"] = len(visits)

        user_of = {c: u for cadres in by_village.values() for c, u in cadres}
        village_of_household = {h: v for v, hs in households.items() for h in hs}
        problems = []
        for visit in visits:
            if rng.random() > 0.06:
                continue
            old = (now - visit.visited_at).days > 30
            problem = Problem(visit_id=visit.pk, household_id=visit.household_id,
                              village_id=village_of_household.get(visit.household_id),
                              raised_by_id=visit.cadre_id, owner_id=user_of[visit.cadre_id],
                              summary=rng.choice(PROBLEM_SUMMARIES),
                              category=rng.choice(list(Problem.Category.values)),
                              due_date=visit.visited_at.date() + timedelta(days=15),
                              created_at=visit.visited_at, updated_at=visit.visited_at)
            if problem.village_id is None:
                continue
            if old:
                done = visit.visited_at + timedelta(days=rng.randrange(2, 14))
                problem.status = Problem.Status.CONFIRMED
                problem.resolution = "已协调相关部门解决。"
                problem.resolved_at = done
                problem.satisfied = rng.random() < 0.95
                problem.confirmed_at = done + timedelta(days=1)
                problem.updated_at = problem.confirmed_at
            problems.append(problem)
        bulk(Problem, problems)
        counts["problems"] = len(problems)

        meetings = []
        for quarter_start in mondays[::13]:
            for village_id, cadres in by_village.items():
                held = quarter_start + timedelta(days=rng.randrange(60))
                meetings.append(Consultation(
                    village_id=village_id, convened_by_id=cadres[0][0], held_on=held,
                    mode=rng.choice(("up", "down")), place="村委会会议室",
                    topics=rng.choice(TOPICS), measures="会后逐项落实,下次恳谈通报。",
                    created_at=datetime.combine(held, dtime(21), tz)))
        bulk(Consultation, meetings)
        counts["meetings"] = len(meetings)

        incidents = [Violation(cadre_id=s.cadre_id, occurred_on=s.night,
                               source=Violation.Source.NIGHT,
                               week_start=s.night - timedelta(days=s.night.weekday()),
                               reason="排班当夜未签到。", status=Violation.Status.CONFIRMED,
                               created_at=datetime.combine(s.night + timedelta(days=2), dtime(9), tz),
                               decided_at=datetime.combine(s.night + timedelta(days=5), dtime(9), tz),
                               decision_note="经核实,当夜未在村住夜。")
                     for s in stays if s.checked_in_at is None]
        bulk(Violation, incidents)
        counts["incidents"] = len(incidents)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Fill the database (DATABASE_URL, PostgreSQL) with benchmark data: the demo "
                    "county with a year of history, or a province with a quarter. Resets the "
                    "demo data; use a database of its own.")
    parser.add_argument("--scale", choices=("county", "province"), required=True,
                        help="county: the demo county + 52 weeks of history; province: 90 "
                             "counties, 1,300 townships, 20,000 villages, 107,000 cadres + 13 weeks")
    parser.add_argument("--seed", type=int, default=2014, help="random seed (default 2014)")
    parser.add_argument("--weeks", type=int, default=None,
                        help="weeks of history (default 52 for county, 13 for province)")
    args = parser.parse_args(argv)

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench/make_data.py needs PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    clock = Clock()
    rng = random.Random(args.seed)
    began = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", reset=True, seed=2013, verbosity=0)
    clock.part("demo county (migrate + seed_demo --reset)", began)
    if args.scale == "province":
        from residency.models import County

        if County.objects.count() != 1:
            print("--scale province needs a database holding nothing but the demo county "
                  "(createdb a fresh one).", file=sys.stderr)
            return 2
        make_province_directory(rng, clock)
    make_history(rng, clock, weeks=args.weeks or (52 if args.scale == "county" else 13))
    began = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    clock.part("ANALYZE", began)
    print(f"Done: --scale {args.scale} in {time.monotonic() - clock.started:.1f} s "
          f"(demo logins from seed_demo, password Zhucun2013).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
