"""export_violations: the register, one row per incident, with exactly the issue's columns;
export_appraisal's violations column counts standing incidents, once per night."""
from __future__ import annotations

import csv
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from appraisal import services
from appraisal.management.commands.export_violations import Command
from appraisal.models import Violation
from residency.models import AuditLog
from tests.appraisal.factories import make_spot_check, make_stay, make_violation

YEAR = 2026
NIGHT = date(YEAR, 3, 4)
COLUMNS = "cadre,township,village,night,signals,status,decided_by,decided_at,appeal,evidence"
pytestmark = pytest.mark.django_db


@pytest.fixture
def register(people, directory):
    """The issue's triple for cadre1 (his only stay of the week, missed, spot-checked absent),
    confirmed and appealed; a manual incident of cadre2 overturned on appeal; a candidate."""
    cadre, org = people["cadre"], people["org_department"]
    make_stay(cadre, directory["v11"], NIGHT)
    make_spot_check(cadre, directory["v11"], NIGHT, people["inspector"])
    services.violation_candidates_sync(since=date(YEAR, 3, 1), until=date(YEAR, 3, 31))
    incident = Violation.objects.get(cadre=cadre)
    services.violation_confirm(violation=incident, by=org, note="未签到且暗访不在岗,属实")
    services.appeal_file(violation=incident, by=cadre.user, text="当晚在村")
    make_violation(people["cadre_other"], date(YEAR, 4, 1), by=org, overturned=True)
    make_violation(people["cadre_other"], date(YEAR, 5, 1), status="candidate", reason="群众反映不在村")
    make_violation(people["cadre"], date(YEAR - 1, 5, 1))  # another year
    return incident


def _export(tmp_path, *args) -> tuple[str, list[dict]]:
    out = tmp_path / "v.csv"
    call_command("export_violations", "--year", str(YEAR), "--out", str(out), *args)
    text = out.read_text(encoding="utf-8")
    return text.splitlines()[0], list(csv.DictReader(text.splitlines()))


def test_the_header_is_exactly_the_issues_columns(register, tmp_path):
    header, _rows = _export(tmp_path)
    assert header == COLUMNS


def test_one_row_per_incident_with_every_signal_of_the_night(register, tmp_path, people):
    _header, rows = _export(tmp_path)
    assert [(r["cadre"], r["night"]) for r in rows] == [
        ("cadre1", "2026-03-04"), ("cadre2", "2026-04-01"), ("cadre2", "2026-05-01")]
    one = rows[0]
    assert (one["township"], one["village"]) == ("甲镇", "东村")
    assert one["signals"] == "missed_checkin|spot_check_absent"
    assert (one["status"], one["appeal"]) == ("confirmed", "pending")
    assert one["decided_by"] == people["org_department"].official.name
    assert one["decided_at"].startswith("20") and "+08:00" in one["decided_at"]
    assert "\n" not in one["evidence"] and "住夜未签到" in one["evidence"] and "暗访不在岗" in one["evidence"]
    assert one["evidence"].startswith("东村 3月4日")


def test_status_and_appeal_say_overturned_candidate_and_empty(register, tmp_path):
    _header, rows = _export(tmp_path)
    overturned, candidate = rows[1], rows[2]
    assert (overturned["status"], overturned["appeal"]) == ("overturned", "overturned")
    assert (candidate["status"], candidate["appeal"], candidate["decided_by"]) == ("candidate", "", "")
    assert "群众反映不在村" in candidate["evidence"] and candidate["signals"] == ""
    assert AuditLog.objects.filter(action="export_violations_command").exists()


def test_bom_on_request_for_excel(register, tmp_path):
    out = tmp_path / "v.csv"
    call_command("export_violations", "--year", str(YEAR), "--out", str(out), "--bom")
    assert out.read_bytes().startswith(b"\xef\xbb\xbfcadre,")


def test_help_describes_the_columns():
    text = Command().create_parser("manage.py", "export_violations").format_help()
    for word in ("--year", "--out", "missed_checkin", "spot_check_absent", "far_checkin", "overturned"):
        assert word in text


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_violations", "--year", "1999", "--out", str(tmp_path / "v.csv"))
    with pytest.raises(CommandError):
        call_command("export_violations", "--year", "2026", "--out", str(tmp_path / "v.xlsx"))


def test_export_appraisal_counts_the_triple_night_once(register, tmp_path):
    out = tmp_path / "a.csv"
    call_command("export_appraisal", "--year", str(YEAR), "--out", str(out))
    rows = {r["cadre"]: r for r in csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines())}
    assert rows["cadre1"]["violations"] == "1"
    assert rows["cadre2"]["violations"] == "0"  # overturned and candidate never count
