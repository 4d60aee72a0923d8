"""The demo county for ``manage.py seed_demo``: 桐乡市 as in the article.

``seed_directory(ctx)`` is the first demo step (see ``DEMO_STEPS`` in
``residency/management/commands/seed_demo.py``). It builds 12 townships (3 街道, 9 镇),
174 villages (行政村 and some 社区), 929 cadres stationed unevenly (2 to 9 a village), one
village cadre a village, one township admin a township, one login per role, and about 30
households a village with the five must-visit categories in realistic shares.

Everything is drawn from ``ctx.rng``, so one seed always gives the same county. Rows are
written with ``bulk_create`` and every user gets one password hash computed once.

Households belong to the nightlog app; residency does not import it (imports flow one
way), so the model is looked up through the app registry and the step is skipped if the
app is not installed.
"""
from __future__ import annotations

import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from residency import audit
from residency.access.roles import ROLE_LABELS, Role, ensure_groups
from residency.batching import chunked
from residency.demo import DIRECTORY_EXTRAS
from residency.demo.people import (
    STAFF_POSTS,
    SUBDISTRICT_POSTS,
    TOWN_POSTS,
    TOWNSHIPS,
    PeopleGenerator,
    cadre_counts,
    village_names,
)
from residency.demo.places import office_position
from residency.models import AuditLog, Cadre, County, Official, Station, Township, Village
from residency.privacy.purge import purge

DEMO_COUNTY_CODE = "330483"
DEMO_COUNTY_NAME = "桐乡市"
DEMO_CADRES = 929
DEMO_PASSWORD = "Zhucun2013"  # shared by every demo login; letters and digits, 10 chars
DEMO_TOWNSHIP = "洲泉镇"  # the township of the demo township admin, inspector and cadre
SEED_ACTION = "seed_demo"  # audit action that marks a county as demo data

# One documented login per role, in the order the table is printed.
DEMO_LOGINS: dict[Role, str] = {
    Role.CADRE: "demo_cadre",
    Role.VILLAGE_CADRE: "demo_village",
    Role.TOWNSHIP_ADMIN: "demo_township",
    Role.INSPECTOR: "demo_inspector",
    Role.ORG_DEPARTMENT: "demo_org",
    Role.PROVINCE_VIEWER: "demo_province",
    Role.SYSTEM_ADMIN: "demo_admin",
}

@dataclass
class DemoContext:
    """What every demo step receives. Steps draw randomness only from ``rng`` (the command
    gives each step its own, derived from the seed and the step's name)."""

    rng: random.Random
    today: date
    county: County | None = None
    stdout: Any = None
    logins: dict[str, tuple[str, str]] = field(default_factory=dict)  # role -> (username, name)
    seed: int = 0
    password: str = DEMO_PASSWORD
    password_hash: str = ""

    def note(self, message: str) -> None:
        out = self.stdout if self.stdout is not None else sys.stdout
        out.write(message if message.endswith("\n") else message + "\n")

    def hashed_password(self) -> str:
        """The demo password hashed once (hashing is slow on purpose)."""
        if not self.password_hash:
            self.password_hash = make_password(self.password)
        return self.password_hash


# --- reading and deleting -----------------------------------------------------------


def demo_county() -> County | None:
    """The demo county, if seed_demo made it (a county with the same code that seed_demo
    did not make is real data and is never touched)."""
    county = County.objects.filter(code=DEMO_COUNTY_CODE).first()
    if county is None:
        return None
    marked = AuditLog.objects.filter(action=SEED_ACTION, object_type="residency.county",
                                     object_id=str(county.pk)).exists()
    return county if marked else None


def demo_exists() -> bool:
    User = get_user_model()
    return demo_county() is not None or User.objects.filter(
        username__in=list(DEMO_LOGINS.values())).exists()


def _demo_users(county: County | None) -> QuerySet:
    User = get_user_model()
    condition = Q(username__in=list(DEMO_LOGINS.values()))
    if county is not None:
        condition |= (Q(cadre__township__county=county) | Q(official__county=county)
                      | Q(official__township__county=county)
                      | Q(official__village__township__county=county)
                      | Q(official__inspected_villages__township__county=county))
    return User.objects.filter(pk__in=User.objects.filter(condition).values("pk"))


@transaction.atomic
def demo_reset(*, ctx: DemoContext | None = None) -> bool:
    """Delete the demo county, everything in it (of every app) and the demo users.
    Returns False when there was no demo data."""
    county = demo_county()
    users = list(_demo_users(county).values_list("pk", flat=True))
    if county is None and not users:
        return False
    if county is not None:
        purge(County.objects.filter(pk=county.pk))
    User = get_user_model()
    for chunk in chunked(users, 500):
        purge(User.objects.filter(pk__in=chunk))
    if ctx is not None:
        ctx.note(_("已删除演示数据:%(county)s 及 %(users)d 个账号(审计日志保留)。")
                 % {"county": DEMO_COUNTY_NAME, "users": len(users)})
    return True


# --- building ------------------------------------------------------------------------


def _posts(subdistrict: bool, count: int, rng: random.Random) -> list[str]:
    leaders = list(SUBDISTRICT_POSTS if subdistrict else TOWN_POSTS)[:count]
    staff = [rng.choice(STAFF_POSTS) for _ in range(count - len(leaders))]
    posts = leaders + staff
    rng.shuffle(posts)
    return posts


def _add_to_group(users: list, role: Role) -> None:
    group = Group.objects.get(name=role.value)
    through = get_user_model().groups.through
    through.objects.bulk_create([through(user_id=u.pk, group_id=group.pk) for u in users],
                                batch_size=1000)


def _make_users(rows: list[tuple[str, str]], *, ctx: DemoContext, **extra) -> list:
    """Users from (username, display name), all with the one precomputed hash."""
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=username, first_name=name, password=ctx.hashed_password(), **extra)
         for username, name in rows], batch_size=1000)
    if any(u.pk is None for u in users):  # backends without RETURNING
        by_name = dict(User.objects.filter(username__in=[u.username for u in users])
                       .values_list("username", "pk"))
        for user in users:
            user.pk = user.id = by_name[user.username]
    return users


def seed_directory(ctx: DemoContext) -> None:
    """Step 1: the county, its townships and villages, cadres, officials and logins,
    and whatever later apps registered with ``residency.demo.register_directory_extra``."""
    gen = PeopleGenerator(ctx.rng)
    ensure_groups()
    county = County.objects.create(code=DEMO_COUNTY_CODE, name=DEMO_COUNTY_NAME)
    ctx.county = county
    audit.record(SEED_ACTION, obj=county, seed=ctx.seed)

    townships, villages = _seed_places(ctx, county)
    counts = cadre_counts(ctx.rng, len(villages), DEMO_CADRES)
    people = gen.unique_people(DEMO_CADRES + len(villages) + len(townships) + 4)
    demo_township, demo_village = _seed_cadres(ctx, gen, people[:DEMO_CADRES], townships,
                                               villages, counts)
    _seed_officials(ctx, gen, people[DEMO_CADRES:], townships, villages, demo_township,
                    demo_village)
    # Later apps add to the directory here (nightlog: households), drawing from the same
    # random sequence so the demo stays the same for a seed.
    extras = [text for extra in DIRECTORY_EXTRAS if (text := extra(ctx, gen, villages))]

    ctx.note(_("%(county)s(%(code)s):%(townships)d 个镇(街道)(街道 %(subdistricts)d 个),"
               "%(villages)d 个村(社区)(社区 %(communities)d 个),"
               "%(cadres)d 名住村干部(每村 %(low)d~%(high)d 名)%(extras)s。") % {
        "county": county.name, "code": county.code, "townships": len(townships),
        "subdistricts": sum(t.kind == Township.Kind.SUBDISTRICT for t in townships),
        "villages": len(villages),
        "communities": sum(v.kind == Village.Kind.COMMUNITY for v in villages),
        "cadres": sum(counts), "low": min(counts), "high": max(counts),
        "extras": "".join(f",{text}" for text in extras)})


def _seed_places(ctx: DemoContext, county: County) -> tuple[list[Township], list[Village]]:
    """12 townships (3 街道, 9 镇) and their 174 villages, 社区 mostly in the 街道."""
    rng = ctx.rng
    Township.objects.bulk_create([
        Township(county=county, code=f"{i:03d}", name=name,
                 kind=Township.Kind.SUBDISTRICT if sub else Township.Kind.TOWN)
        for i, (name, sub, _n) in enumerate(TOWNSHIPS, start=1)
    ])
    townships = list(Township.objects.filter(county=county).order_by("code"))

    taken: set[str] = set()
    village_rows: list[Village] = []
    for t_index, (township, (_name, sub, count)) in enumerate(zip(townships, TOWNSHIPS, strict=True)):
        communities = round(count * 0.4) if sub else rng.choice((1, 1, 2))
        kinds = [Village.Kind.COMMUNITY] * communities + [Village.Kind.VILLAGE] * (count - communities)
        rng.shuffle(kinds)
        for j, (base, kind) in enumerate(zip(village_names(rng, count, taken=taken), kinds,
                                             strict=True), start=1):
            suffix = "社区" if kind == Village.Kind.COMMUNITY else "村"
            lat, lon = office_position(t_index, f"{county.code}-{township.code}-{j:03d}")
            village_rows.append(Village(township=township, code=f"{j:03d}", name=base + suffix,
                                        kind=kind, latitude=lat, longitude=lon))
    Village.objects.bulk_create(village_rows, batch_size=1000)
    villages = list(Village.objects.filter(township__county=county)
                    .select_related("township").order_by("township__code", "code"))
    return townships, villages


def _seed_cadres(ctx: DemoContext, gen: PeopleGenerator, cadre_people: list, townships: list,
                 villages: list, counts: list[int]) -> tuple[Township, Village]:
    """``counts[i]`` cadres stationed in ``villages[i]``, each a township civil servant with a
    post (职务), a unique mobile and a cadre login. Returns the demo cadre's township and
    village (a village of 洲泉镇 with at least five cadres)."""
    rng = ctx.rng
    start = date(ctx.today.year - 1, 1, 1)
    placements: list[Village] = [v for v, n in zip(villages, counts, strict=True) for _ in range(n)]
    posts_by_township: dict[int, list[str]] = {}
    for township in townships:
        n = sum(1 for v in placements if v.township_id == township.pk)
        posts_by_township[township.pk] = _posts(township.kind == Township.Kind.SUBDISTRICT, n, rng)

    demo_township = next(t for t in townships if t.name == DEMO_TOWNSHIP)
    demo_village = next(v for v, n in zip(villages, counts, strict=True)
                        if v.township_id == demo_township.pk and n >= 5)
    demo_index = placements.index(demo_village)
    # The demo cadre is a deputy party secretary, like the cadre in the article.
    township_indexes = [i for i, v in enumerate(placements) if v.township_id == demo_township.pk]
    posts = posts_by_township[demo_township.pk]
    deputy = next(k for k, p in enumerate(posts) if p.endswith("副书记"))
    own = township_indexes.index(demo_index)
    posts[own], posts[deputy] = posts[deputy], posts[own]

    usernames = [DEMO_LOGINS[Role.CADRE] if i == demo_index else f"cadre{i + 1:04d}"
                 for i in range(len(placements))]
    users = _make_users([(u, p.name) for u, p in zip(usernames, cadre_people, strict=True)], ctx=ctx)
    _add_to_group(users, Role.CADRE)
    cursor: dict[int, int] = defaultdict(int)
    cadre_rows = []
    for user, person, village in zip(users, cadre_people, placements, strict=True):
        post = posts_by_township[village.township_id][cursor[village.township_id]]
        cursor[village.township_id] += 1
        cadre_rows.append(Cadre(user_id=user.pk, township_id=village.township_id, name=person.name,
                                position=post, phone=gen.mobile()))
    Cadre.objects.bulk_create(cadre_rows, batch_size=1000)
    cadres = list(Cadre.objects.filter(township__county=ctx.county).order_by("pk"))
    Station.objects.bulk_create([Station(cadre=c, village=v, start=start)
                                 for c, v in zip(cadres, placements, strict=True)], batch_size=1000)
    ctx.logins[Role.CADRE.value] = (DEMO_LOGINS[Role.CADRE], cadres[demo_index].name)
    return demo_township, demo_village


def _seed_officials(ctx, gen, people, townships, villages, demo_township, demo_village) -> None:
    """One township admin a township, one village cadre (村书记) a village, an inspector,
    the organisation department, a province viewer and a system admin."""
    rng = ctx.rng
    people = iter(people)
    county = ctx.county

    def official_users(role, rows, **extra):
        users = _make_users(rows, ctx=ctx, **extra)
        if role != Role.SYSTEM_ADMIN:
            _add_to_group(users, role)
        return users

    admin_rows = [(DEMO_LOGINS[Role.TOWNSHIP_ADMIN] if t.pk == demo_township.pk
                   else f"township{t.code}", next(people).name) for t in townships]
    admin_users = official_users(Role.TOWNSHIP_ADMIN, admin_rows)
    village_rows = [(DEMO_LOGINS[Role.VILLAGE_CADRE] if v.pk == demo_village.pk
                     else f"village{v.township.code}{v.code}", next(people).name) for v in villages]
    village_users = official_users(Role.VILLAGE_CADRE, village_rows)
    singles = {role: official_users(role, [(DEMO_LOGINS[role], next(people).name)])[0]
               for role in (Role.INSPECTOR, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER)}
    singles[Role.SYSTEM_ADMIN] = official_users(
        Role.SYSTEM_ADMIN, [(DEMO_LOGINS[Role.SYSTEM_ADMIN], next(people).name)],
        is_superuser=True, is_staff=True)[0]

    officials = [Official(user_id=u.pk, name=u.first_name, township=t, phone=gen.mobile())
                 for u, t in zip(admin_users, townships, strict=True)]
    officials += [Official(user_id=u.pk, name=u.first_name, village=v, phone=gen.mobile())
                  for u, v in zip(village_users, villages, strict=True)]
    officials.append(Official(user_id=singles[Role.INSPECTOR].pk, phone=gen.mobile(),
                              name=singles[Role.INSPECTOR].first_name))
    officials.append(Official(user_id=singles[Role.ORG_DEPARTMENT].pk, county=county,
                              phone=gen.mobile(), name=singles[Role.ORG_DEPARTMENT].first_name))
    officials.append(Official(user_id=singles[Role.PROVINCE_VIEWER].pk, phone=gen.mobile(),
                              name=singles[Role.PROVINCE_VIEWER].first_name))
    officials.append(Official(user_id=singles[Role.SYSTEM_ADMIN].pk, phone=gen.mobile(),
                              name=singles[Role.SYSTEM_ADMIN].first_name))
    Official.objects.bulk_create(officials, batch_size=1000)

    # The inspector checks six villages of the demo township, the demo cadre's among them.
    inspector = Official.objects.get(user_id=singles[Role.INSPECTOR].pk)
    others = [v for v in villages if v.township_id == demo_township.pk and v.pk != demo_village.pk]
    inspector.inspected_villages.set([demo_village, *rng.sample(others, min(5, len(others)))])

    by_role = {Role.TOWNSHIP_ADMIN: admin_users[[t.pk for t in townships].index(demo_township.pk)],
               Role.VILLAGE_CADRE: village_users[[v.pk for v in villages].index(demo_village.pk)],
               **singles}
    for role, user in by_role.items():
        ctx.logins[role.value] = (user.username, user.first_name)


def login_table(logins: dict[str, tuple[str, str]], password: str) -> list[tuple[str, str, str, str]]:
    """(role label, username, name, password) rows in DEMO_LOGINS order."""
    rows = []
    for role in DEMO_LOGINS:
        if role.value in logins:
            username, name = logins[role.value]
            rows.append((str(ROLE_LABELS[role]), username, name, password))
    return rows
