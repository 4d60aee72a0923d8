"""Reading uploads: spreadsheets in, hostile files refused with a Chinese message (pure)."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from residency.importing.reading import MAX_ROWS, FileRefused, read_table
from residency.importing.registry import get_kind
from residency.importing.rows import (
    map_headers,
    normalize_header,
    parse_date,
    parse_yes_no,
    split_labels,
    table_rows,
)
from residency.importing.template_files import template_csv, template_xlsx
from tests.residency.importing.files import (
    HEADERS,
    csv_bytes,
    many_rows_xlsx,
    shared_strings_xlsx,
    xlsx,
    zip_bomb_xlsx,
)

TEN_MB = 10 * 1024 * 1024
ROWS = [HEADERS["villages"], ["001", "003", "北村", "行政村"]]


def read(data: bytes, name: str):
    return read_table(data, name, max_bytes=TEN_MB)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    table = read(csv_bytes(ROWS, encoding), "村.csv")
    assert table.headers == HEADERS["villages"]
    assert table.rows == [(2, ["001", "003", "北村", "行政村"])]


def test_xlsx_is_read_with_spreadsheet_row_numbers_and_blank_rows_skipped():
    table = read(xlsx([*ROWS, [None, None], ["001", "004", "南村", "社区"]]), "村.xlsx")
    assert table.headers == HEADERS["villages"]
    assert [number for number, _cells in table.rows] == [2, 4]


def test_xlsx_date_cells_become_dates():
    from datetime import datetime

    table = read(xlsx([["驻村开始日期"], [datetime(2026, 3, 2)]]), "a.xlsx")
    assert table.rows == [(2, [date(2026, 3, 2)])]


def test_a_text_file_renamed_to_xlsx_is_refused():
    with pytest.raises(FileRefused, match="不是有效的 Excel"):
        read("代码,名称\n001,甲镇\n".encode(), "townships.xlsx")


def test_a_damaged_zip_named_xlsx_is_refused():
    with pytest.raises(FileRefused, match="不是有效的 Excel"):
        read(b"PK\x03\x04" + b"\x00" * 100, "townships.xlsx")


def test_an_old_binary_xls_is_refused_with_advice():
    with pytest.raises(FileRefused, match="另存为 .xlsx"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xlsx")


def test_other_extensions_are_refused():
    with pytest.raises(FileRefused, match=".xlsx"):
        read(b"hello", "list.pdf")


def test_an_empty_file_is_refused():
    with pytest.raises(FileRefused, match="空"):
        read(b"", "a.csv")


def test_a_zip_posing_as_csv_is_refused():
    with pytest.raises(FileRefused, match="不是 CSV"):
        read(xlsx(ROWS), "a.csv")


def test_utf16_csv_is_refused_with_advice():
    with pytest.raises(FileRefused, match="CSV UTF-8"):
        read(csv_bytes(ROWS, "utf-16"), "a.csv")


def test_a_file_over_the_limit_is_refused_before_parsing():
    with pytest.raises(FileRefused, match="超过10 MB"):
        read(b"a" * (TEN_MB + 1), "big.csv")


def test_a_zip_bomb_is_refused_before_openpyxl_inflates_it():
    bomb = zip_bomb_xlsx(200)
    assert len(bomb) < 1024 * 1024  # small on disk
    with pytest.raises(FileRefused, match="压缩炸弹"):
        read(bomb, "bomb.xlsx")


def test_a_zip_bomb_under_the_size_cap_is_refused_by_its_compression_ratio():
    with pytest.raises(FileRefused, match="压缩比异常"):
        read(zip_bomb_xlsx(20), "bomb.xlsx")


def test_an_xlsx_with_too_many_members_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/workbook.xml", "<x/>")
        for i in range(300):
            archive.writestr(f"xl/media/{i}.bin", b"x")
    with pytest.raises(FileRefused, match="部件过多"):
        read(out.getvalue(), "many.xlsx")


def test_an_xlsx_with_100k_rows_is_refused():
    with pytest.raises(FileRefused, match=f"超过{MAX_ROWS}行"):
        read(many_rows_xlsx(100_000), "huge.xlsx")


def test_a_csv_with_too_many_rows_is_refused():
    rows = [HEADERS["villages"]] + [["001", f"{i:06d}", f"村{i}", "行政村"] for i in range(MAX_ROWS + 1)]
    with pytest.raises(FileRefused, match="行数过多"):
        read(csv_bytes(rows), "huge.csv")


# --- headers and cells ----------------------------------------------------------------


def test_headers_ignore_width_spaces_and_required_marks():
    assert normalize_header(" 镇（街道）* ") == "镇(街道)"


def test_a_missing_column_is_an_error_on_the_header_row():
    columns = get_kind("villages").columns
    _index, errors = map_headers(["镇(街道)", "代码", "名称"], columns)
    assert [(e.row, e.column, e.message) for e in errors] == [(1, "类型", "缺少此列")]


def test_an_unknown_or_repeated_column_is_an_error():
    columns = get_kind("villages").columns
    _index, errors = map_headers(["镇(街道)", "代码", "名称", "类型", "代码", "备注x"], columns)
    assert {(e.column, e.message) for e in errors} == {
        ("代码", "列重复"), ("备注x", "无法识别的列名,请使用模板中的列名")}


def test_rows_are_keyed_by_column_and_blank_rows_dropped():
    from residency.importing.rows import Table

    table = Table(headers=["名称", "代码", "类型", "镇(街道)"],
                  rows=[(2, ["北村", "003", "行政村", "001"]), (3, ["", None])])
    rows, errors = table_rows(table, get_kind("villages").columns)
    assert errors == []
    assert [(r.number, r.text("code"), r.text("name")) for r in rows] == [(2, "003", "北村")]


@pytest.mark.parametrize("text", ["2026-01-05", "2026/1/5", "2026年1月5日", "20260105", "2026.01.05"])
def test_dates_are_read_in_the_usual_chinese_spellings(text):
    assert parse_date(text) == date(2026, 1, 5)


@pytest.mark.parametrize("text", ["2026-13-01", "明天", "1/5/2026"])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_yes_no_and_label_lists():
    assert parse_yes_no("是") is True and parse_yes_no("否") is False and parse_yes_no("") is False
    with pytest.raises(ValueError):
        parse_yes_no("也许")
    assert split_labels("困难户、种养大户,个私企业户，重点人员户") == [
        "困难户", "种养大户", "个私企业户", "重点人员户"]


# --- templates ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["townships", "villages", "cadres", "households"])
def test_each_template_reads_back_with_its_headers_and_example_row(kind):
    found = get_kind(kind)
    for data, name in ((template_xlsx(found), "t.xlsx"), (template_csv(found), "t.csv")):
        table = read(data, name)
        assert table.headers == found.headers()
        assert len(table.rows) == 1
        rows, errors = table_rows(table, found.columns)
        assert errors == [] and len(rows) == 1


def test_the_csv_template_has_a_bom_for_excel():
    assert template_csv(get_kind("villages")).startswith(b"\xef\xbb\xbf")


def test_shared_strings_that_unpack_past_the_limit_are_refused_quickly():
    """Issue 11, finding 8: a modest ratio and a total under the cap passed every bomb check,
    and the strings took a minute to parse. The unpacked size of the shared strings (and of
    each sheet) is now limited, read from the zip directory before anything inflates."""
    import time

    from residency.importing.reading import MAX_SHARED_STRINGS_BYTES

    data = shared_strings_xlsx(MAX_SHARED_STRINGS_BYTES // (1024 * 1024) + 2)
    started = time.monotonic()
    with pytest.raises(FileRefused, match="共享字符串"):
        read_table(data, "big.xlsx", max_bytes=10 * 1024 * 1024)
    assert time.monotonic() - started < 1.0


def test_a_sheet_that_unpacks_past_the_limit_is_refused(monkeypatch):
    from residency.importing import reading

    monkeypatch.setattr(reading, "MAX_SHEET_BYTES", 1024 * 1024)
    with pytest.raises(FileRefused, match="工作表"):
        read_table(many_rows_xlsx(20_000), "rows.xlsx", max_bytes=10 * 1024 * 1024)
