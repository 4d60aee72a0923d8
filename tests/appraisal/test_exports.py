"""The annual report: the command's xlsx and CSV against the register."""
from __future__ import annotations

import csv
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from appraisal import services
from residency.models import AuditLog
from tests.appraisal.factories import make_meeting, make_stay, make_violation

YEAR = 2026
pytestmark = pytest.mark.django_db
REQUIRED = ["cadre", "township", "village", "nights_required", "nights_stayed", "violations",
            "ladder", "satisfaction", "proposed_grade", "final_grade", "golden"]
FIRST_SHEET = ["姓名", "账号", "镇(街道)", "村(社区)", "应住夜数", "实住夜数", "违规次数", "处理",
               "满意度", "拟定等次", "最终等次", "金口碑"]


@pytest.fixture
def register(people, directory):
    admin, org = people["township_admin"], people["org_department"]
    make_stay(people["cadre"], directory["v11"], date(YEAR, 3, 2), checked_in=True)
    make_stay(people["cadre"], directory["v11"], date(YEAR, 3, 3))
    for month in (3, 4):
        make_violation(people["cadre"], date(YEAR, month, 1))
    make_violation(people["cadre"], date(YEAR, 5, 1), overturned=True, by=org)
    make_violation(people["cadre"], date(YEAR, 6, 1), status="dismissed", by=org)
    meeting = make_meeting(directory["v12"])
    services.tally_set(meeting=meeting, cadre=people["cadre_other"], kind="party", satisfied=6,
                       basic=2, unsatisfied=2, by=admin)
    services.appraisal_set_grade(cadre=people["cadre_other"], year=YEAR, grade="competent", by=org)
    return people


def sheet_rows(path):
    wb = load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    return wb, header, [dict(zip(header, r, strict=False)) for r in rows[1:]]


def test_xlsx_first_sheet_is_for_people_one_row_per_cadre_matching_the_register(register, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command("export_appraisal", "--year", str(YEAR), "--out", str(out))
    wb, header, rows = sheet_rows(out)
    assert wb.sheetnames[0] == f"{YEAR}年度考核"
    assert header == FIRST_SHEET
    by_user = {r["账号"]: r for r in rows}
    assert set(by_user) == {"cadre1", "cadre2", "cadre3"}
    one = by_user["cadre1"]
    assert (one["镇(街道)"], one["村(社区)"]) == ("甲镇", "东村")
    assert (one["应住夜数"], one["实住夜数"]) == (2, 1)
    assert (one["违规次数"], one["处理"]) == (2, "诫勉谈话")
    assert one["金口碑"] == "否" and one["最终等次"] is None
    two = by_user["cadre2"]
    assert two["满意度"] == 70.0 and isinstance(two["满意度"], int | float)
    assert (two["最终等次"], two["违规次数"], two["处理"]) == ("称职", 0, None)
    assert "汇总" in wb.sheetnames and "甲镇" in wb.sheetnames and "外镇" in wb.sheetnames
    assert AuditLog.objects.filter(action="export_appraisal_command").exists()


def width(ws, letter: str) -> float:
    """The width of a column, also when the file gives one width to a range of columns
    (XlsxWriter writes ``<col min="2" max="3">`` for neighbours of equal width)."""
    from openpyxl.utils import column_index_from_string

    index = column_index_from_string(letter)
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= index <= dim.max:
            return dim.width
    return ws.column_dimensions[letter].width


def test_every_sheet_has_widths_a_frozen_header_and_a4_landscape_print_setup(register, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command("export_appraisal", "--year", str(YEAR), "--out", str(out))
    wb = load_workbook(out)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title  # the header repeats on every page
        assert width(ws, "A") >= 10, ws.title
        assert ws["A1"].font.b and ws["A1"].alignment.wrap_text, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1 and int(ws.page_setup.fitToHeight) == 0, ws.title  # 1 is the default
    first = wb.worksheets[0]
    assert width(first, "C") >= 14  # 镇(街道) names are not cut


def test_township_sheets_have_chinese_headers_and_frozen_header_rows(register, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command("export_appraisal", "--year", str(YEAR), "--out", str(out))
    wb = load_workbook(out)
    t1 = wb["甲镇"]
    assert t1["A1"].value == "账号" and t1.freeze_panes == "A2"
    assert [c.value for c in t1["A"]][1:] == ["cadre1", "cadre2"]
    golden = [c.value for c in t1[1]].index("金口碑")
    assert {row[golden].value for row in t1.iter_rows(min_row=2)} == {"否"}  # 是/否, never 0/1


def test_csv_by_extension_keeps_the_machine_keys(register, tmp_path):
    out = tmp_path / "report.csv"
    call_command("export_appraisal", "--year", str(YEAR), "--out", str(out), "--county", "330483")
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert all(key in rows[0] for key in REQUIRED)
    assert {r["cadre"] for r in rows} == {"cadre1", "cadre2"}  # one county only
    one = next(r for r in rows if r["cadre"] == "cadre1")
    assert (one["violations"], one["ladder"], one["golden"]) == ("2", "诫勉谈话", "0")


def test_the_command_refuses_an_unknown_extension(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="xlsx"):
        call_command("export_appraisal", "--year", str(YEAR), "--out", str(tmp_path / "r.pdf"))


def test_the_export_reads_in_chunks_with_a_constant_number_of_queries_per_chunk(
        register, directory, django_assert_max_num_queries):
    """Bounded memory at province scale: rows are computed chunk by chunk (a fixed number of
    queries each), so a chunk of 2 gives the same rows as one chunk, and tripling the
    cadres adds chunks, not queries per row."""
    from appraisal.selectors import iter_appraisal_rows
    from residency.access.scoping import ALL, Scope
    from tests.residency.factories import make_cadre

    scope = Scope(role=None, level=ALL)
    whole = [r.username for r in iter_appraisal_rows(scope=scope, year=YEAR)]
    assert [r.username for r in iter_appraisal_rows(scope=scope, year=YEAR, chunk_size=2)] == whole
    with django_assert_max_num_queries(40) as one_chunk:
        assert len(list(iter_appraisal_rows(scope=scope, year=YEAR))) == 3
    for i in range(6):
        make_cadre(directory["v12"], username=f"more{i}")
    with django_assert_max_num_queries(len(one_chunk.captured_queries)):
        assert len(list(iter_appraisal_rows(scope=scope, year=YEAR))) == 9
    rows = iter_appraisal_rows(scope=scope, year=YEAR, chunk_size=3)
    assert next(rows).username == whole[0]  # a generator: nothing is built before it is read
