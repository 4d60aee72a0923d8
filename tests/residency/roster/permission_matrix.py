"""The roster's rows of the permission matrix (tests/test_permission_matrix.py).

POST-only URLs have no "out" case there (that test reads with GET); their scope is tested
in tests/residency/roster/test_views.py and test_requests.py."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from residency.access.roles import Role
from residency.models import CalendarFeed, Leave, RosterWeek, Stay, Swap, WorkdayOverride
from residency.nights.isoweek import format_week, monday_of

# A Monday about half a year ahead: far from today, within the year a roster may be planned.
NIGHT = monday_of(timezone.localdate() + timedelta(days=182))
WEEK = format_week(NIGHT)
STAFF = {Role.SYSTEM_ADMIN, Role.PROVINCE_VIEWER, Role.ORG_DEPARTMENT, Role.TOWNSHIP_ADMIN}
EDITORS = {Role.TOWNSHIP_ADMIN}
REQUESTS = {Role.CADRE, Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.SYSTEM_ADMIN}


def _stay(c, cadre="cadre", village="v11", night=NIGHT) -> Stay:
    township = c[village].township
    week, _ = RosterWeek.objects.get_or_create(
        township=township, week_start=NIGHT,
        defaults={"status": RosterWeek.Status.PUBLISHED, "published_at": "2030-01-01T00:00Z"})
    stay, _ = Stay.objects.get_or_create(cadre=c[cadre], night=night,
                                         defaults={"village": c[village], "week": week})
    return stay


def _leave(c) -> Leave:
    return Leave.objects.create(cadre=c["cadre"], kind="sick", start=NIGHT, end=NIGHT)


def _swap(c) -> Swap:
    return Swap.objects.create(stay=_stay(c), requested_by=c["cadre"], colleague=c["cadre_other"])


def _override(c, county="county") -> WorkdayOverride:
    return WorkdayOverride.objects.create(county=c[county], date=NIGHT, is_workday=False, reason="测试")


def _feed(c) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(cadre=c["cadre"], defaults={"token": "m" * 43})[0]


def _week(key):
    return lambda c: {"township": c[key].pk, "week": WEEK}


def _night(key):
    from residency.nights.isoweek import parse_week

    return lambda c: {"township": c[key].pk, "week": WEEK, "night": parse_week(WEEK).isoformat()}


def _village(township, village):
    return lambda c: {"township": c[township].pk, "week": WEEK, "village": c[village].pk}


ROSTER_MATRIX: dict[str, dict] = {
    "residency:roster-home": {"roles": STAFF, "ok": 302},  # on to this week's grid
    "residency:roster-week": {"roles": STAFF, "in": _week("t1"), "out": _week("t3")},
    "residency:roster-plan": {"roles": EDITORS, "method": "post", "in": _week("t1")},
    "residency:roster-publish": {"roles": EDITORS, "method": "post", "in": _week("t1")},
    "residency:stay-assign": {"roles": EDITORS, "in": _week("t1"), "out": _week("t3")},
    "residency:roster-night": {"roles": STAFF, "in": _night("t1"), "out": _night("t3")},
    "residency:roster-village": {"roles": STAFF, "in": _village("t1", "v11"),
                                 "out": _village("t3", "v31")},
    "residency:roster-print": {"roles": STAFF, "in": _week("t1"), "out": _week("t3")},
    "residency:roster-xlsx": {"roles": STAFF, "in": _week("t1"), "out": _week("t3")},
    "residency:stay-detail": {"roles": EDITORS, "in": lambda c: {"pk": _stay(c).pk},
                              "out": lambda c: {"pk": _stay(c, "cadre_far", "v31").pk}},
    "residency:stay-move": {"roles": EDITORS, "in": lambda c: {"pk": _stay(c).pk},
                            "out": lambda c: {"pk": _stay(c, "cadre_far", "v31").pk}},
    "residency:stay-swap": {"roles": EDITORS, "in": lambda c: {"pk": _stay(c).pk},
                            "out": lambda c: {"pk": _stay(c, "cadre_far", "v31").pk}},
    "residency:stay-pin": {"roles": EDITORS, "method": "post", "in": lambda c: {"pk": _stay(c).pk}},
    "residency:stay-delete": {"roles": EDITORS, "in": lambda c: {"pk": _stay(c).pk},
                              "out": lambda c: {"pk": _stay(c, "cadre_far", "v31").pk}},
    "residency:stay-presence": {"roles": EDITORS, "ok": 302,  # GET redirects to the stay's page
                                "in": lambda c: {"pk": _stay(c).pk},
                                "out": lambda c: {"pk": _stay(c, "cadre_far", "v31").pk}},
    "residency:village-position": {"roles": EDITORS, "in": lambda c: {"pk": c["v11"].pk},
                                   "out": lambda c: {"pk": c["v31"].pk}},
    "residency:stay-checkin": {"roles": {Role.CADRE}, "method": "post",
                               "in": lambda c: {"pk": _stay(c).pk}},
    "residency:roster-mine": {"roles": {Role.CADRE}},
    "residency:roster-calendar": {"roles": {Role.CADRE}},
    "residency:preference-update": {"roles": {Role.CADRE}},
    "residency:roster-ics": {"public": True, "in": lambda c: {"token": _feed(c).token}},
    "residency:leave-list": {"roles": REQUESTS},
    "residency:leave-create": {"roles": {Role.CADRE}},
    # The organisation department decides 补假 further back than the township admin may.
    "residency:leave-approve": {"roles": EDITORS | {Role.ORG_DEPARTMENT}, "method": "post",
                                "in": lambda c: {"pk": _leave(c).pk}},
    "residency:leave-reject": {"roles": EDITORS | {Role.ORG_DEPARTMENT}, "method": "post",
                               "in": lambda c: {"pk": _leave(c).pk}},
    "residency:leave-cancel": {"roles": {Role.CADRE}, "method": "post", "in": lambda c: {"pk": _leave(c).pk}},
    "residency:swap-list": {"roles": REQUESTS},
    "residency:swap-create": {"roles": {Role.CADRE}, "in": lambda c: {"pk": _stay(c).pk},
                              "out": lambda c: {"pk": _stay(c, "cadre_other", "v12").pk}},
    "residency:swap-approve": {"roles": EDITORS, "method": "post", "in": lambda c: {"pk": _swap(c).pk}},
    "residency:swap-reject": {"roles": EDITORS, "method": "post", "in": lambda c: {"pk": _swap(c).pk}},
    "residency:swap-cancel": {"roles": {Role.CADRE}, "method": "post", "in": lambda c: {"pk": _swap(c).pk}},
    "residency:spotcheck-list": {"roles": {Role.INSPECTOR, Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT,
                                           Role.SYSTEM_ADMIN}},
    "residency:spotcheck-create": {"roles": {Role.INSPECTOR, Role.TOWNSHIP_ADMIN}},
    "residency:workday-list": {"roles": {Role.ORG_DEPARTMENT, Role.SYSTEM_ADMIN}},
    "residency:workday-delete": {"roles": {Role.ORG_DEPARTMENT, Role.SYSTEM_ADMIN},
                                 "in": lambda c: {"pk": _override(c).pk},
                                 "out": lambda c: {"pk": _override(c, "other_county").pk}},
    # The county's readers are sent on to a township of theirs; its admin reads it at once.
    "residency:dashboard-township": {"roles": STAFF, "ok": {Role.TOWNSHIP_ADMIN: 200,
                                                            "others": 302}},
    "residency:dashboard-county": {"roles": {Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN}},
}
