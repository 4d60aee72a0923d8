"""The appraisal's rows of the permission matrix (tests/test_permission_matrix.py).

Roles as in docs/APPRAISAL.md, "Pages and roles". The POST-only forms answer an empty or
invalid body with the form again and 400, so their rows carry valid "data"; their scope
is tested in tests/appraisal/test_views.py (a GET cannot reach them, so no "out" case)."""
from __future__ import annotations

from datetime import date

from appraisal.models import Appeal
from residency.access.roles import Role
from tests.appraisal.factories import make_meeting, make_violation

YEAR = 2026
DAY = date(YEAR, 3, 2)
READERS = {Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN}
DECIDERS = {Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT}
ORG = {Role.ORG_DEPARTMENT}
MEETING_READERS = READERS | {Role.CADRE, Role.VILLAGE_CADRE}
REPORTS = {Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN}


def _violation(c, cadre="cadre", status="confirmed"):
    return {"pk": make_violation(c[cadre], DAY, status=status).pk}


def _appealed(c):
    violation = make_violation(c["cadre"], DAY)
    Appeal.objects.create(violation=violation, text="当晚在村", filed_by=c["cadre"].user)
    return {"pk": violation.pk}


def _meeting(c, village="v11"):
    return {"pk": make_meeting(c[village], year=YEAR).pk}


def _cadre_year(c, cadre="cadre"):
    return {"pk": c[cadre].pk, "year": YEAR}


def _talk_due(c):
    for day in (DAY, date(YEAR, 3, 3)):
        make_violation(c["cadre"], day)
    return _cadre_year(c)


def _report_file(c):
    from django.core.files.base import ContentFile

    from appraisal.models import CadreReport

    meeting = make_meeting(c["v11"], year=YEAR)
    report = CadreReport(meeting=meeting, cadre=c["cadre"], text="述职")
    report.file.save("r.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": meeting.pk, "report_pk": report.pk}


def _far_report_file(c):
    from django.core.files.base import ContentFile

    from appraisal.models import CadreReport

    meeting = make_meeting(c["v31"], year=YEAR)
    report = CadreReport(meeting=meeting, cadre=c["cadre_far"], text="述职")
    report.file.save("r.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": meeting.pk, "report_pk": report.pk}


APPRAISAL_MATRIX: dict[str, dict] = {
    "appraisal:violation-list": {"roles": READERS | {Role.CADRE}},
    "appraisal:violation-create": {"roles": DECIDERS},
    "appraisal:violation-sync": {"roles": DECIDERS, "method": "post"},
    "appraisal:violation-detail": {
        "roles": READERS | {Role.CADRE},
        "in": _violation, "out": lambda c: _violation(c, "cadre_far"),
    },
    "appraisal:violation-decide": {
        "roles": DECIDERS, "method": "post",
        "in": lambda c: _violation(c, status="candidate"),
        "data": lambda c: {"decision": "dismiss", "note": "核实当晚在村"},
    },
    "appraisal:appeal-file": {
        "roles": {Role.CADRE}, "method": "post",
        "in": _violation, "data": lambda c: {"text": "当晚在村部住夜"},
    },
    "appraisal:appeal-decide": {
        "roles": ORG, "method": "post",
        "in": _appealed, "data": lambda c: {"outcome": "uphold", "note": "核实"},
    },
    "appraisal:meeting-list": {"roles": MEETING_READERS},
    "appraisal:meeting-create": {"roles": DECIDERS},
    "appraisal:meeting-detail": {
        "roles": MEETING_READERS, "in": _meeting, "out": lambda c: _meeting(c, "v31"),
    },
    # The organiser enters a cadre's 述职 with ?cadre=; a cadre always gets his own.
    "appraisal:meeting-report": {
        "roles": DECIDERS | {Role.CADRE}, "in": _meeting, "out": lambda c: _meeting(c, "v31"),
        "data": lambda c: {"cadre": c["cadre"].pk},
    },
    "appraisal:report-file": {
        "roles": READERS | {Role.CADRE}, "in": _report_file, "out": _far_report_file,
    },
    "appraisal:meeting-tally": {
        "roles": DECIDERS, "in": _meeting, "out": lambda c: _meeting(c, "v31"),
    },
    "appraisal:meeting-codes": {
        "roles": DECIDERS, "method": "post", "in": _meeting, "ok": 200,  # the printable codes
        "data": lambda c: {"kind": "party", "count": 3},
    },
    "appraisal:meeting-close": {
        "roles": DECIDERS, "in": _meeting, "out": lambda c: _meeting(c, "v31"),
    },
    "appraisal:ballot": {"public": True},
    "appraisal:appraisal-list": {"roles": READERS},
    "appraisal:appraisal-detail": {
        "roles": READERS | {Role.CADRE},
        "in": _cadre_year, "out": lambda c: _cadre_year(c, "cadre_far"),
    },
    "appraisal:appraisal-grade": {
        "roles": ORG, "method": "post", "in": _cadre_year,
        "data": lambda c: {"final_grade": "competent", "note": ""},
    },
    "appraisal:penalty-create": {
        "roles": ORG, "method": "post", "in": _talk_due,
        "data": lambda c: {"kind": "talk", "held_on": "2026-03-10", "held_by": "组织部"},
    },
    "appraisal:rules-update": {"roles": ORG},
    "appraisal:golden-list": {"roles": ORG | {Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN}},
    "appraisal:golden-public": {"public": True, "in": lambda c: {"year": YEAR}},
    "appraisal:report-stats": {"roles": REPORTS},
    "appraisal:report-xlsx": {"roles": REPORTS, "ok": 302},  # to the background export
    "appraisal:report-csv": {"roles": REPORTS},
    "appraisal:statistics": {"roles": READERS},
    "appraisal:meeting-season": {"roles": READERS},
    "appraisal:statistics-xlsx": {"roles": READERS},
}
