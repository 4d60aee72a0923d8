"""A sheet for people: the one rule every xlsx the system writes follows.

Chinese headers in bold, column widths set (so Chinese names are not cut), the header row
frozen, and a print setup (A4 landscape, fit to the page width, the header row repeated on
every printed page). Machine keys belong in CSV files, never in a sheet people open.

Works for ordinary and write-only (streamed) worksheets; call it before the data rows.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from residency.spreadsheet_safety import neutralise_cell

PERCENT = "0.0%"  # rates are numbers (0.875) shown as percentages (87.5%)


def text_width(text) -> int:
    """Display width of ``text`` in Excel's character units: CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text or ""))


def human_sheet(ws, *, headers: Sequence[str], widths: Sequence[int | None] | None = None,
                title: str = "", landscape: bool = True) -> None:
    """Write the (optional) title row and the header row of ``ws`` and set it up for people.

    ``widths``: one width per column (None: from the header, at least 8). With a title the
    header is row 2 and both rows repeat when printed; the freeze is just under the header.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    widths = list(widths or [])
    for index, header in enumerate(headers, start=1):
        wanted = widths[index - 1] if index <= len(widths) else None
        ws.column_dimensions[get_column_letter(index)].width = wanted or max(8, text_width(header) + 4)
    header_row = 2 if title else 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"1:{header_row}"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    if isinstance(ws, WriteOnlyWorksheet):
        from openpyxl.cell import WriteOnlyCell

        if title:
            cell = WriteOnlyCell(ws, value=neutralise_cell(title))
            cell.font = Font(bold=True, size=14)
            ws.append([cell])
        cells = []
        for header in headers:
            cell = WriteOnlyCell(ws, value=neutralise_cell(str(header)))
            cell.font, cell.alignment = bold, wrap
            cells.append(cell)
        ws.append(cells)
        return
    if title:
        ws.append([neutralise_cell(title)])
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.append([neutralise_cell(str(h)) for h in headers])
    for cell in ws[header_row]:
        cell.font, cell.alignment = bold, wrap


def yes_no(flag) -> str:
    """是/否 for people (a sheet never shows 0/1 or True/False)."""
    from django.utils.translation import gettext as _

    return _("是") if flag else _("否")


def human_xlsxwriter_sheet(workbook, ws, *, headers: Sequence[str],
                           widths: Sequence[int | None] | None = None, title: str = "",
                           landscape: bool = True) -> int:
    """``human_sheet`` for an XlsxWriter worksheet (the streamed exports' writer, chosen in
    docs/PERFORMANCE.md, "xlsx writers"): the same title row, bold wrapped centred header,
    widths, frozen header and print setup. Returns the first data row (0-based)."""
    widths = list(widths or [])
    for index, header in enumerate(headers):
        wanted = widths[index] if index < len(widths) else None
        ws.set_column(index, index, wanted or max(8, text_width(header) + 4))
    header_row = 1 if title else 0
    if title:
        ws.write_string(0, 0, str(title), workbook.add_format({"bold": True, "font_size": 14}))
    header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "vcenter",
                                         "align": "center"})
    for index, header in enumerate(headers):
        ws.write_string(header_row, index, str(header), header_format)
    ws.freeze_panes(header_row + 1, 0)
    ws.repeat_rows(0, header_row)
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(0)  # gridlines shown on screen and printed
    return header_row + 1
