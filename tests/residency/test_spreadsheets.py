"""Every xlsx the system writes is for people: one helper sets headers, widths, the frozen
header and the print setup (A4 landscape, header repeated)."""
from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from residency.spreadsheets import human_sheet, text_width, yes_no


def _roundtrip(wb) -> Workbook:
    out = io.BytesIO()
    wb.save(out)
    return load_workbook(io.BytesIO(out.getvalue()))


def test_chinese_characters_count_twice_in_a_column_width():
    assert text_width("镇(街道)") == 3 * 2 + 2  # ASCII brackets count once
    assert text_width("abc") == 3


def test_a_human_sheet_has_bold_headers_widths_frozen_header_and_a4_landscape():
    wb = Workbook()
    human_sheet(wb.active, headers=["村(社区)", "签到率"], widths=[20])
    wb.active.append(["东村", 0.5])
    ws = _roundtrip(wb).active
    assert [c.value for c in ws[1]] == ["村(社区)", "签到率"] and ws["A1"].font.b
    assert ws.column_dimensions["A"].width == 20
    assert ws.column_dimensions["B"].width == text_width("签到率") + 4  # from the header
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9


def test_a_write_only_sheet_gets_the_same_setup_and_a_title_row_repeats_with_the_header():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("统计")
    human_sheet(ws, headers=["姓名"], title="2026年11月")
    ws.append(["张三"])
    read = _roundtrip(wb)["统计"]
    assert [r[0] for r in read.iter_rows(values_only=True)] == ["2026年11月", "姓名", "张三"]
    assert read.freeze_panes == "A3" and read.print_title_rows == "$1:$2"


def test_flags_read_yes_or_no():
    assert (yes_no(True), yes_no(False), yes_no(None)) == ("是", "否", "否")


def test_the_xlsxwriter_sheet_is_set_up_for_people_like_human_sheet(tmp_path):
    import xlsxwriter
    from openpyxl import load_workbook

    from residency.spreadsheets import human_xlsxwriter_sheet

    path = tmp_path / "people.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("表")
    first = human_xlsxwriter_sheet(wb, ws, headers=["姓名", "签到率"], widths=[20], title="统计")
    ws.write_row(first, 0, ["王", 0.5])
    wb.close()
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "统计" and sheet["A2"].value == "姓名" and sheet["A2"].font.b
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and (sheet.page_setup.fitToWidth or 1) == 1  # 1: the default
    assert int(sheet.page_setup.fitToHeight) == 0
    assert sheet.column_dimensions["A"].width >= 20 and sheet["A3"].value == "王"
