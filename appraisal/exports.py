"""The annual appraisal report as xlsx (XlsxWriter, constant memory) and CSV, streamed from
``iter_appraisal_rows`` so memory stays bounded at province scale.

Human reports, machine data: every sheet of the xlsx is for people (Chinese headers, 是/否,
widths, frozen header, print setup: ``residency.spreadsheets.human_sheet``); the CSV keeps
the machine keys ``KEYS`` for the systems that read it."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import Workbook

from residency.spreadsheet_safety import FormulaSafeCsvWriter, neutralise_row
from residency.spreadsheets import human_sheet, yes_no

from .selectors.appraisals import AppraisalRow

# The machine-readable header of the CSV (never translate these).
KEYS = ["cadre", "name", "township", "village", "nights_required", "nights_stayed", "visits",
        "late_visits", "must_visit_households", "must_visit_visited", "problems_resolved", "party_satisfaction",
        "resident_satisfaction", "satisfaction", "violations", "ladder", "proposed_grade",
        "final_grade", "golden"]
# The first sheet, the one the organisation department opens (rule R3's figures).
FIRST_HEADERS = [_l("姓名"), _l("账号"), _l("镇(街道)"), _l("村(社区)"), _l("应住夜数"),
                 _l("实住夜数"), _l("违规次数"), _l("处理"), _l("满意度"), _l("拟定等次"),
                 _l("最终等次"), _l("金口碑")]
FIRST_WIDTHS = [10, 14, 14, 14, 10, 10, 10, 12, 9, 11, 11, 8]
# The Chinese headers of the township sheets: every figure, in the order of KEYS.
HEADERS_ZH = [_l("账号"), _l("姓名"), _l("镇(街道)"), _l("驻村"), _l("应住夜数"), _l("实住夜数"),
              _l("走访次数"), _l("其中补记"), _l("五必访户数"), _l("已走访五必访户数"), _l("解决问题数"),
              _l("党员代表满意度"), _l("群众代表满意度"), _l("综合满意度"), _l("认定违规次数"),
              _l("问责档次"), _l("建议等次"), _l("确定等次"), _l("金口碑")]
SUMMARY_HEADERS = [_l("镇(街道)"), _l("干部数"), _l("平均满意度"), _l("认定违规次数"), _l("优秀"),
                   _l("称职"), _l("基本称职"), _l("不称职"), _l("未确定"), _l("金口碑")]


def _num(value: Decimal | None):
    return float(value) if value is not None else None


def row_values(row: AppraisalRow) -> list:
    """Numbers as numbers; grades as their Chinese names; golden as 0/1; text that a
    spreadsheet would run as a formula neutralised."""
    return neutralise_row([row.username, row.name, row.township, row.village, row.nights_required,
            row.nights_stayed, row.visits, row.late_visits, row.must_visit_households, row.must_visit_visited,
            row.problems_resolved, _num(row.party_score), _num(row.resident_score),
            _num(row.satisfaction), row.violations, row.ladder.label, row.proposed_grade_label,
            row.final_grade_label, int(row.golden)])


def first_sheet_values(row: AppraisalRow) -> list:
    """The first sheet's row: numbers as numbers, 处理 and grades in Chinese, 金口碑 是/否;
    text that a spreadsheet would run as a formula neutralised."""
    return neutralise_row([row.name, row.username, row.township, row.village, row.nights_required,
                           row.nights_stayed, row.violations, row.ladder.label or None,
                           _num(row.satisfaction), row.proposed_grade_label or None,
                           row.final_grade_label or None, yes_no(row.golden)])


def township_sheet_values(row: AppraisalRow) -> list:
    values = row_values(row)
    values[-1] = yes_no(row.golden)
    return values


def write_xlsx(rows: Iterable[AppraisalRow], out, *, year: int) -> int:
    """Sheet 1 (every cadre, ``FIRST_HEADERS``), sheet 2 汇总 (per township), then one sheet
    per township (every figure), written with XlsxWriter in ``constant_memory`` mode: the
    faster streaming writer, memory flat at any size (docs/PERFORMANCE.md, "xlsx writers").
    ``rows`` must come in township order. Returns the row count."""
    import xlsxwriter

    from residency.spreadsheets import human_xlsxwriter_sheet

    wb = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    try:
        detail = wb.add_worksheet(_("%(year)s年度考核") % {"year": year})
        summary = wb.add_worksheet(_("汇总"))
        detail_row = human_xlsxwriter_sheet(wb, detail, headers=FIRST_HEADERS, widths=FIRST_WIDTHS)
        summary_row = human_xlsxwriter_sheet(wb, summary, headers=SUMMARY_HEADERS, widths=[14])
        totals: dict[str, list] = {}
        current = None
        sheet = None
        sheet_row = 0
        used_titles: set[str] = set()
        count = 0
        for row in rows:
            detail.write_row(detail_row + count, 0, first_sheet_values(row))
            count += 1
            if row.township_id != current:
                if sheet is not None:
                    # Close the finished sheet's temporary file (XlsxWriter reopens it when
                    # it assembles the workbook): a province has 1,300 township sheets.
                    sheet._opt_close()
                current = row.township_id
                sheet = wb.add_worksheet(_sheet_title(row.township, used_titles))
                sheet_row = human_xlsxwriter_sheet(wb, sheet, headers=HEADERS_ZH,
                                                   widths=[14, 10, 14, 14])
            sheet.write_row(sheet_row, 0, township_sheet_values(row))
            sheet_row += 1
            _add_to_totals(totals, row)
        for index, values in enumerate(_summary_rows(totals)):
            summary.write_row(summary_row + index, 0, values)
    finally:
        wb.close()
    return count


def _add_to_totals(totals: dict[str, list], row: AppraisalRow) -> None:
    t = totals.setdefault(row.township, [0, Decimal(0), 0, 0, {}, 0])
    t[0] += 1
    if row.satisfaction is not None:
        t[1] += row.satisfaction
        t[2] += 1
    t[3] += row.violations
    t[4][row.final_grade] = t[4].get(row.final_grade, 0) + 1
    t[5] += int(row.golden)


def _summary_rows(totals: dict[str, list]):
    for township, (n, s, scored, violations, grades, golden) in totals.items():
        yield neutralise_row([township, n, float((s / scored).quantize(Decimal("0.1"))) if scored else None,
                              violations, grades.get("excellent", 0), grades.get("competent", 0),
                              grades.get("basic", 0), grades.get("incompetent", 0), grades.get("", 0),
                              golden])


def write_xlsx_openpyxl(rows: Iterable[AppraisalRow], out, *, year: int) -> int:
    """The same workbook with openpyxl's write-only mode (and lxml): the writer before
    XlsxWriter, kept for ``bench/xlsx_writers.py``.

    Sheet 1 (every cadre, ``FIRST_HEADERS``), sheet 2 汇总 (per township), then one sheet
    per township (every figure). All for people. ``rows`` must come in township order.
    Returns the row count."""
    wb = Workbook(write_only=True)
    detail = wb.create_sheet(_("%(year)s年度考核") % {"year": year})
    summary = wb.create_sheet(_("汇总"))
    human_sheet(detail, headers=FIRST_HEADERS, widths=FIRST_WIDTHS)
    human_sheet(summary, headers=SUMMARY_HEADERS, widths=[14])
    totals: dict[str, list] = {}
    current = None
    sheet = None
    used_titles: set[str] = set()
    count = 0
    for row in rows:
        count += 1
        detail.append(first_sheet_values(row))
        if row.township_id != current:
            if sheet is not None:
                sheet.close()  # release the temp file: only a few sheets are ever open
            current = row.township_id
            title = _sheet_title(row.township, used_titles)
            sheet = wb.create_sheet(title)
            human_sheet(sheet, headers=HEADERS_ZH, widths=[14, 10, 14, 14])
        sheet.append(township_sheet_values(row))
        _add_to_totals(totals, row)
    for values in _summary_rows(totals):
        summary.append(values)
    wb.save(out)
    return count


def _sheet_title(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "sheet"
    title, n = base, 2
    while title in used:
        title = f"{base[:26]}_{n}"
        n += 1
    used.add(title)
    return title


class _Echo:
    def write(self, value: str) -> str:
        return value


def iter_csv(rows: Iterable[AppraisalRow]) -> Iterator[str]:
    """CSV lines (UTF-8 with BOM so that Excel opens the Chinese text), one row at a time."""
    writer = FormulaSafeCsvWriter(_Echo())
    yield "\ufeff" + writer.writerow(KEYS)
    for row in rows:
        yield writer.writerow(["" if v is None else v for v in row_values(row)])
