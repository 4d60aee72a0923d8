"""The downloadable template of each kind: headers, one example row (pure).

The xlsx formats every data cell as text so that codes keep their leading zeros and
ID-card numbers keep all 18 digits; a second sheet explains each column. The CSV is
UTF-8 with a BOM, which Excel opens without garbling Chinese.
"""
from __future__ import annotations

import io

from django.utils.translation import gettext as _

from residency.importing.registry import ImportKind
from residency.spreadsheet_safety import FormulaSafeCsvWriter, neutralise_cell, neutralise_row

TEMPLATE_ROWS = 500  # rows pre-formatted as text in the xlsx


def template_csv(kind: ImportKind) -> bytes:
    out = io.StringIO()
    writer = FormulaSafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(kind.headers())
    writer.writerow([c.example for c in kind.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: ImportKind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    from residency.spreadsheets import human_sheet

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind.label)[:31]
    fill = PatternFill("solid", fgColor="DDEBF7")
    human_sheet(sheet, headers=[column.header for column in kind.columns],
                widths=[max(12, 2 * len(column.header) + 4) for column in kind.columns])
    for col, column in enumerate(kind.columns, start=1):
        sheet.cell(row=1, column=col).fill = fill
        sheet.cell(row=2, column=col, value=neutralise_cell(column.example)).number_format = "@"
        for row in range(3, TEMPLATE_ROWS + 2):
            sheet.cell(row=row, column=col).number_format = "@"
    notes = workbook.create_sheet(_("填写说明"))
    human_sheet(notes, headers=[_("列名"), _("是否必须有此列"), _("说明"), _("示例")],
                widths=[16, 14, 60, 20], landscape=False)
    for column in kind.columns:
        notes.append(neutralise_row([column.header, _("是") if column.required else _("否"),
                                     str(column.note), column.example]))
    notes.append([])
    notes.append([_("第一行为表头,请勿修改;示例行(第2行)请替换为实际数据。只读取第一个工作表。")])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
