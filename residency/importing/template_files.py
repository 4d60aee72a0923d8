"""The downloadable template of each kind: headers, one example row (pure).

The xlsx formats every data cell as text so that codes keep their leading zeros and
ID-card numbers keep all 18 digits; a second sheet explains each column. The CSV is
UTF-8 with a BOM, which Excel opens without garbling Chinese.
"""
from __future__ import annotations

import io

from django.utils.translation import gettext as _

from ..spreadsheet_safety import FormulaSafeCsvWriter, neutralise_cell, neutralise_row
from .registry import ImportKind

TEMPLATE_ROWS = 500  # rows pre-formatted as text in the xlsx


def template_csv(kind: ImportKind) -> bytes:
    out = io.StringIO()
    writer = FormulaSafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(kind.headers())
    writer.writerow([c.example for c in kind.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: ImportKind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind.label)[:31]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, column in enumerate(kind.columns, start=1):
        cell = sheet.cell(row=1, column=col, value=neutralise_cell(column.header))
        cell.font, cell.fill = bold, fill
        sheet.cell(row=2, column=col, value=neutralise_cell(column.example)).number_format = "@"
        for row in range(3, TEMPLATE_ROWS + 2):
            sheet.cell(row=row, column=col).number_format = "@"
        sheet.column_dimensions[get_column_letter(col)].width = max(12, 2 * len(column.header) + 4)
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("填写说明"))
    notes.append(neutralise_row([_("列名"), _("是否必须有此列"), _("说明"), _("示例")]))
    for cell in notes[1]:
        cell.font = bold
    for column in kind.columns:
        notes.append(neutralise_row([column.header, _("是") if column.required else _("否"),
                                     str(column.note), column.example]))
    notes.append([])
    notes.append([_("第一行为表头,请勿修改;示例行(第2行)请替换为实际数据。只读取第一个工作表。")])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 60
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
