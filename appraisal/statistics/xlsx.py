"""The statistics as an xlsx for people (the page's download and ``export_statistics``).

First sheet 村(社区)统计: one row per village, then a 合计 row; rates are numbers formatted
as percentages; 述职评议大会 是/否. Second sheet 镇(街道)汇总: one row per township."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import Workbook
from openpyxl.styles import Font

from residency.spreadsheets import PERCENT, human_sheet, yes_no

from .figures import Statistics, VillageFigures

HEADERS = [_l("镇(街道)"), _l("村(社区)"), _l("应住夜数"), _l("已住夜数"), _l("签到率"),
           _l("走访户次"), _l("必访户覆盖率"), _l("问题数"), _l("已办结"), _l("现场办公办结"),
           _l("集中恳谈次数"), _l("述职评议大会")]
WIDTHS = [14, 16, 10, 10, 9, 10, 13, 8, 8, 13, 13, 13]
RATE_COLUMNS = (5, 7)  # 签到率, 必访户覆盖率 (1-based)
TOWNSHIP_HEADERS = [_l("镇(街道)"), _l("村(社区)数"), _l("应住夜数"), _l("已住夜数"), _l("签到率"),
                    _l("走访户次"), _l("必访户覆盖率"), _l("问题数"), _l("已办结"),
                    _l("现场办公办结"), _l("集中恳谈次数"), _l("已召开述职评议大会的村(社区)")]


def _figures(row: VillageFigures) -> list:
    return [row.nights_required, row.nights_stayed, row.checkin_rate, row.visits,
            row.must_visit_rate, row.problems, row.resolved, row.on_site_resolved,
            row.consultations]


def village_row(row: VillageFigures) -> list:
    return [row.township, row.village, *_figures(row), yes_no(row.meeting_held)]


def total_row(total: VillageFigures) -> list:
    """The 合计 row: sums, rates of the sums, and how many villages held their meeting."""
    return [_("合计"), "", *_figures(total), total.meetings]


def write_statistics_xlsx(stats: Statistics, out) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = _("村(社区)统计")
    human_sheet(ws, headers=HEADERS, widths=WIDTHS)
    for row in stats.rows:
        ws.append(village_row(row))
    ws.append(total_row(stats.total))
    bold = Font(bold=True)
    for cell in ws[ws.max_row]:
        cell.font = bold
    for column in RATE_COLUMNS:
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = PERCENT
    summary = wb.create_sheet(_("镇(街道)汇总"))
    human_sheet(summary, headers=TOWNSHIP_HEADERS, widths=[14, 10] + [11] * 9 + [16])
    for count, figures in stats.by_township():
        summary.append([figures.township, count, *_figures(figures), figures.meetings])
    for column in RATE_COLUMNS:
        for (cell,) in summary.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = PERCENT
    wb.save(out)
