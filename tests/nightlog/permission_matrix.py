"""The night log's rows of the permission matrix (tests/test_permission_matrix.py).

POST-only URLs have no "out" case there (that test reads with GET); their scope is tested
in tests/nightlog/test_views.py."""
from __future__ import annotations

from nightlog.models import Consultation
from residency.access.roles import Role
from tests.nightlog.factories import link, make_problem, make_visit

STAFF = {Role.SYSTEM_ADMIN, Role.PROVINCE_VIEWER, Role.ORG_DEPARTMENT, Role.TOWNSHIP_ADMIN}
LINK_ADMINS = {Role.TOWNSHIP_ADMIN, Role.SYSTEM_ADMIN}


def _visit(c):
    return make_visit(c["cadre"], c["h11"])


def _far_visit(c):
    return make_visit(c["cadre_far"], c["h31"])


def _late_request(c):
    from datetime import timedelta

    from django.utils import timezone

    from nightlog.models import LateVisitRequest

    return LateVisitRequest.objects.create(
        cadre=c["cadre"], household=c["h11"], visited_at=timezone.now() - timedelta(days=10),
        reason="补录", content={"situation": "情况"})


def _consultation(c, cadre="cadre", village="v11"):
    return Consultation.objects.create(village=c[village], convened_by=c[cadre],
                                       held_on="2026-01-05", mode="up", topics="议题")


NIGHTLOG_MATRIX: dict[str, dict] = {
    "nightlog:visit-create": {"roles": {Role.CADRE}},
    "nightlog:visit-detail": {
        "roles": STAFF | {Role.CADRE},
        "in": lambda c: {"pk": _visit(c).pk}, "out": lambda c: {"pk": _far_visit(c).pk},
    },
    "nightlog:visit-update": {
        "roles": {Role.CADRE},
        "in": lambda c: {"pk": _visit(c).pk}, "out": lambda c: {"pk": _far_visit(c).pk},
    },
    "nightlog:night-log": {"roles": STAFF | {Role.CADRE}},
    "nightlog:late-visit-list": {"roles": LINK_ADMINS | {Role.CADRE}},
    "nightlog:late-visit-decide": {"roles": LINK_ADMINS, "method": "post",
                                   "in": lambda c: {"pk": _late_request(c).pk},
                                   "data": lambda c: {"decision": "reject"}},
    "nightlog:coverage": {"roles": STAFF | {Role.CADRE}},
    "nightlog:link-list": {"roles": LINK_ADMINS},
    "nightlog:link-create": {"roles": LINK_ADMINS, "method": "post",
                             "in": lambda c: {"village_pk": c["v11"].pk}},
    "nightlog:link-suggestion-apply": {"roles": LINK_ADMINS, "method": "post",
                                       "in": lambda c: {"village_pk": c["v11"].pk}},
    "nightlog:link-end": {"roles": LINK_ADMINS, "method": "post",
                          "in": lambda c: {"pk": link(c["cadre"], c["h11"]).pk}},
    "nightlog:card-list": {"roles": {Role.CADRE}},
    "nightlog:card-print": {"roles": {Role.CADRE, Role.TOWNSHIP_ADMIN, Role.SYSTEM_ADMIN}},
    "nightlog:consultation-list": {"roles": STAFF | {Role.CADRE}},
    "nightlog:consultation-create": {"roles": {Role.CADRE}},
    "nightlog:consultation-detail": {
        "roles": STAFF | {Role.CADRE},
        "in": lambda c: {"pk": _consultation(c).pk},
        "out": lambda c: {"pk": _consultation(c, "cadre_far", "v31").pk},
    },
    "nightlog:problem-list": {"roles": STAFF | {Role.CADRE, Role.VILLAGE_CADRE}},
    "nightlog:problem-detail": {
        "roles": STAFF | {Role.CADRE, Role.VILLAGE_CADRE},
        "in": lambda c: {"pk": make_problem(_visit(c), owner=c["village_cadre"]).pk},
        "out": lambda c: {"pk": make_problem(_far_visit(c)).pk},
    },
    "nightlog:problem-act": {
        "roles": STAFF | {Role.CADRE, Role.VILLAGE_CADRE}, "method": "post",
        "in": lambda c: {"pk": make_problem(_visit(c), owner=c["village_cadre"]).pk},
    },
    "nightlog:problem-on-site": {
        "roles": STAFF | {Role.CADRE, Role.VILLAGE_CADRE}, "method": "post",
        # Posted empty: the problem page comes back with the form's errors; the read-only
        # viewer is sent back to it with a message.
        "ok": {Role.PROVINCE_VIEWER: 302, "others": 200},
        "in": lambda c: {"pk": make_problem(_visit(c), owner=c["village_cadre"]).pk},
    },
    "nightlog:problem-hand-over": {
        "roles": {Role.CADRE, Role.TOWNSHIP_ADMIN, Role.SYSTEM_ADMIN}, "method": "post",
        "in": lambda c: {"pk": make_problem(_visit(c), owner=c["village_cadre"]).pk},
    },
}
