"""Building spreadsheet files for the import tests (xlsx, csv in any encoding, hostile)."""
from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import Workbook

HEADERS = {
    "townships": ["县(市、区)代码", "代码", "名称", "类型"],
    "villages": ["镇(街道)", "代码", "名称", "类型"],
    "cadres": ["用户名", "姓名", "手机号", "职务", "镇(街道)", "驻村", "驻村开始日期"],
    "households": ["镇(街道)", "村", "村民小组", "户主", "地址", "电话", "身份证号", "家庭人口",
                   "必访类别", "重点户"],
}


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def zip_bomb_xlsx(uncompressed_mb: int = 200) -> bytes:
    """A valid-looking workbook whose sheet inflates to ``uncompressed_mb`` MB of zeros."""
    good = zipfile.ZipFile(io.BytesIO(xlsx([["代码", "名称"], ["001", "甲"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in good.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with bomb.open(info.filename, "w", force_zip64=True) as member:
                    chunk = b" " * (1024 * 1024)
                    for _i in range(uncompressed_mb):
                        member.write(chunk)
            else:
                bomb.writestr(info, good.read(info.filename))
    return out.getvalue()


def many_rows_xlsx(count: int) -> bytes:
    """A workbook with ``count`` village rows, its sheet XML written directly (fast)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([["x"]])))
    cells = "".join(f'<c r="{col}1" t="inlineStr"><is><t>{h}</t></is></c>'
                    for col, h in zip("ABCD", HEADERS["villages"], strict=True))
    body = [f'<row r="1">{cells}</row>']
    for i in range(2, count + 2):
        body.append(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>001</t></is></c>'
                    f'<c r="B{i}" t="inlineStr"><is><t>{i:06d}</t></is></c>'
                    f'<c r="C{i}" t="inlineStr"><is><t>村{i}</t></is></c>'
                    f'<c r="D{i}" t="inlineStr"><is><t>行政村</t></is></c></row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(body)}</sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for info in base.infolist():
            data = sheet.encode() if info.filename == "xl/worksheets/sheet1.xml" else base.read(info)
            book.writestr(info.filename, data)
    return out.getvalue()


def shared_strings_xlsx(uncompressed_mb: int) -> bytes:
    """A workbook whose shared strings table inflates to about ``uncompressed_mb`` MB at a
    modest compression ratio (like the 4.4 MB file whose strings unpack to 100 MB)."""
    good = zipfile.ZipFile(io.BytesIO(xlsx([["代码", "名称"], ["001", "甲"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for info in good.infolist():
            if info.filename != "xl/sharedStrings.xml":
                book.writestr(info, good.read(info.filename))
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                         b'openxmlformats.org/spreadsheetml/2006/main">')
            written, i = 0, 0
            while written < uncompressed_mb * 1024 * 1024:
                chunk = "".join(f"<si><t>{n * 7919 % 1000003:07d}户{n % 9973}</t></si>"
                                for n in range(i, i + 10000)).encode()
                member.write(chunk)
                written += len(chunk)
                i += 10000
            member.write(b"</sst>")
    return out.getvalue()
