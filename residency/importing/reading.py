"""Reading an uploaded file into a ``Table``, refusing anything hostile (pure).

Only ``.xlsx`` and ``.csv`` are read, by content as well as by name. An xlsx is a zip:
before openpyxl (with defusedxml) opens it, the zip's member count, total uncompressed
size and compression ratio are checked, so a zip bomb is refused unopened. The declared
sizes can be trusted: Python's zipfile never inflates a member past its declared size.
CSV is UTF-8 (with or without BOM) or GBK/GB18030 as Excel in China saves it.
"""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from residency.importing.rows import Table

MAX_ROWS = 50_000
MAX_COLUMNS = 30
MAX_MEMBERS = 200
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 100
# Unpacked size of the parts openpyxl parses in full: the shared strings table (every text
# of a 50,000-row file fits in a few MB; 24 MB parses in a few seconds) and each sheet (50,000
# rows of 30 cells). A modest compression ratio under the total cap passes the checks above,
# so these are limited too, from the zip directory, before anything is inflated.
MAX_SHARED_STRINGS_BYTES = 24 * 1024 * 1024
MAX_SHEET_BYTES = 64 * 1024 * 1024
# Blank rows (Excel keeps formatted empty rows) are skipped but still bounded.
MAX_SCANNED_ROWS = 4 * MAX_ROWS

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
EXTENSIONS = (".xlsx", ".csv")


class FileRefused(Exception):
    """The file cannot be read at all; the message is for the admin, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def extension(filename: str) -> str:
    return PurePath(filename or "").suffix.lower()


def read_table(data: bytes, filename: str, *, max_bytes: int, max_rows: int = MAX_ROWS) -> Table:
    if len(data) > max_bytes:
        raise FileRefused(_("文件超过%(mb)d MB,请拆分后分批导入") % {"mb": max_bytes // (1024 * 1024)})
    if not data:
        raise FileRefused(_("文件是空的"))
    ext = extension(filename)
    if ext not in EXTENSIONS:
        raise FileRefused(_("只能导入 .xlsx(Excel)或 .csv 文件"))
    if data.startswith(OLE_MAGIC):
        raise FileRefused(_("这是旧版 .xls 文件,请在 Excel 中另存为 .xlsx 后再导入"))
    if ext == ".xlsx":
        if not data.startswith(ZIP_MAGIC):
            raise FileRefused(_("文件不是有效的 Excel(.xlsx)表格,可能只是改了扩展名"))
        return read_xlsx(data, max_rows=max_rows)
    if data.startswith(ZIP_MAGIC):
        raise FileRefused(_("文件内容不是 CSV 文本,Excel 文件请用 .xlsx 扩展名"))
    return read_csv(data, max_rows=max_rows)


# --- xlsx -----------------------------------------------------------------------------


def check_zip(data: bytes) -> None:
    """Refuse a zip that is not a plausible workbook before anything inflates it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise FileRefused(_("文件不是有效的 Excel(.xlsx)表格")) from exc
    if len(members) > MAX_MEMBERS:
        raise FileRefused(_("Excel 文件结构异常(包含的部件过多),已拒绝"))
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise FileRefused(_("Excel 文件解压后过大,疑似压缩炸弹,已拒绝"))
    if total > 1024 * 1024 and total > MAX_RATIO * max(packed, 1):
        raise FileRefused(_("Excel 文件压缩比异常,疑似压缩炸弹,已拒绝"))
    for member in members:
        if member.flag_bits & 0x1:
            raise FileRefused(_("Excel 文件已加密,请取消密码后再导入"))
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise FileRefused(_("Excel 文件压缩比异常,疑似压缩炸弹,已拒绝"))
        if member.filename == "xl/sharedStrings.xml" and member.file_size > MAX_SHARED_STRINGS_BYTES:
            raise FileRefused(_("Excel 文件的共享字符串表解压后超过%(mb)d MB,请拆分后分批导入")
                              % {"mb": MAX_SHARED_STRINGS_BYTES // (1024 * 1024)})
        if member.filename.startswith("xl/worksheets/") and member.file_size > MAX_SHEET_BYTES:
            raise FileRefused(_("Excel 文件的工作表解压后超过%(mb)d MB,请拆分后分批导入")
                              % {"mb": MAX_SHEET_BYTES // (1024 * 1024)})
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise FileRefused(_("文件不是有效的 Excel(.xlsx)表格"))


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def first_sheet_member(archive: zipfile.ZipFile) -> str | None:
    """The zip member holding the workbook's first sheet (the one imported), if found."""
    from defusedxml.ElementTree import fromstring

    try:
        workbook = fromstring(archive.read("xl/workbook.xml"))
        sheet = workbook.find(f"{_MAIN_NS}sheets/{_MAIN_NS}sheet")
        rel_id = sheet.get(f"{_REL_NS}id") if sheet is not None else None
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # a damaged workbook: openpyxl will say so
        return None
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def count_filled_rows(archive: zipfile.ZipFile, member: str, *, stop_after: int) -> int:
    """Rows of the sheet XML holding a value, counted on the stream without parsing, so a
    huge sheet is refused in a fraction of what openpyxl would take to read it."""
    count, tail = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1024 * 1024):
            parts = (tail + chunk).split(b"<row")
            tail = parts.pop()
            count += sum(1 for part in parts if b"<v>" in part or b"<is>" in part)
            if count > stop_after:
                break
    if b"<v>" in tail or b"<is>" in tail:
        count += 1
    return count


def read_xlsx(data: bytes, *, max_rows: int = MAX_ROWS) -> Table:
    check_zip(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = first_sheet_member(archive)
    if member in archive.namelist():
        try:
            filled = count_filled_rows(archive, member, stop_after=max_rows + 1)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise FileRefused(_("无法读取该 Excel 文件,请确认文件未损坏")) from exc
        if filled > max_rows + 1:  # + the header row
            raise FileRefused(_("文件行数过多(超过%(n)d行),请拆分后分批导入") % {"n": max_rows})
    import openpyxl  # openpyxl parses with defusedxml when it is installed

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise FileRefused(_("无法读取该 Excel 文件,请确认文件未损坏")) from exc
    try:
        if not workbook.worksheets:
            raise FileRefused(_("Excel 文件中没有工作表"))
        sheet = workbook.worksheets[0]
        return _collect(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), max_rows)
    except FileRefused:
        raise
    except Exception as exc:
        raise FileRefused(_("无法读取该 Excel 文件,请确认文件未损坏")) from exc
    finally:
        workbook.close()


# --- csv ------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileRefused(_("CSV 文件编码无法识别,请另存为“CSV UTF-8”格式")) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise FileRefused(_("CSV 文件编码无法识别(可能是 UTF-16 文本),请另存为“CSV UTF-8”格式"))
    for encoding in ("utf-8", "gb18030"):  # gb18030 is a superset of GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(_("CSV 文件编码无法识别,请另存为“CSV UTF-8”格式"))


def read_csv(data: bytes, *, max_rows: int = MAX_ROWS) -> Table:
    text = decode_text(data)
    if "\x00" in text:
        raise FileRefused(_("文件内容不是 CSV 文本"))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _collect(([c for c in row[:MAX_COLUMNS]] for row in reader), max_rows)
    except csv.Error as exc:
        raise FileRefused(_("CSV 文件格式错误: %(error)s") % {"error": exc}) from exc


# --- both -----------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, str | int | float | bool | date):
        return value
    return str(value)


def _collect(rows, max_rows: int) -> Table:
    headers: list[Any] | None = None
    out: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(rows, start=1):
        cells = [_cell(v) for v in row]
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        if headers is None:
            headers = cells
            continue
        if number > MAX_SCANNED_ROWS:
            raise FileRefused(_("文件行数过多(超过%(n)d行),请拆分后分批导入") % {"n": max_rows})
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        out.append((number, cells))
        if len(out) > max_rows:
            raise FileRefused(_("文件行数过多(超过%(n)d行),请拆分后分批导入") % {"n": max_rows})
    return Table(headers=[h if h is not None else "" for h in (headers or [])], rows=out)
