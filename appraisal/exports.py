"""The annual appraisal report as xlsx (openpyxl write-only) and CSV, streamed from
``iter_appraisal_rows`` so memory stays bounded at province scale."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from residency.spreadsheet_safety import FormulaSafeCsvWriter, neutralise_cell, neutralise_row

from .selectors.appraisals import AppraisalRow

# The machine-readable header of the first sheet and of the CSV (never translate these).
KEYS = ["cadre", "name", "township", "village", "nights_required", "nights_stayed", "visits",
        "must_visit_households", "must_visit_visited", "problems_resolved", "party_satisfaction",
        "resident_satisfaction", "satisfaction", "violations", "ladder", "proposed_grade",
        "final_grade", "golden"]
# The Chinese headers of the township sheets, same order.
HEADERS_ZH = ["账号", "姓名", "镇(街道)", "驻村", "应住夜数", "实住夜数", "走访次数", "五必访户数",
              "已走访五必访户数", "解决问题数", "党员代表满意度", "群众代表满意度", "综合满意度",
              "认定违规次数", "问责档次", "建议等次", "确定等次", "金口碑"]
SUMMARY_HEADERS = ["镇(街道)", "干部数", "平均满意度", "认定违规次数", "优秀", "称职", "基本称职",
                   "不称职", "未确定", "金口碑"]


def _num(value: Decimal | None):
    return float(value) if value is not None else None


def row_values(row: AppraisalRow) -> list:
    """Numbers as numbers; grades as their Chinese names; golden as 0/1; text that a
    spreadsheet would run as a formula neutralised."""
    return neutralise_row([row.username, row.name, row.township, row.village, row.nights_required,
            row.nights_stayed, row.visits, row.must_visit_households, row.must_visit_visited,
            row.problems_resolved, _num(row.party_score), _num(row.resident_score),
            _num(row.satisfaction), row.violations, row.ladder.label, row.proposed_grade_label,
            row.final_grade_label, int(row.golden)])


def _header(ws, titles: list[str]) -> None:
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=neutralise_cell(title))
        cell.font = bold
        cells.append(cell)
    ws.append(cells)


def write_xlsx(rows: Iterable[AppraisalRow], out, *, year: int) -> int:
    """Sheet 1 (machine keys, every cadre), sheet 2 汇总 (per township), then one sheet per
    township (Chinese headers). ``rows`` must come in township order. Returns the row count."""
    wb = Workbook(write_only=True)
    detail = wb.create_sheet(f"{year}年度考核")
    summary = wb.create_sheet("汇总")
    for ws in (detail, summary):
        ws.freeze_panes = "A2"
    _header(detail, KEYS)
    _header(summary, SUMMARY_HEADERS)
    totals: dict[str, list] = {}
    current = None
    sheet = None
    used_titles: set[str] = set()
    count = 0
    for row in rows:
        count += 1
        values = row_values(row)
        detail.append(values)
        if row.township_id != current:
            if sheet is not None:
                sheet.close()  # release the temp file: only a few sheets are ever open
            current = row.township_id
            title = _sheet_title(row.township, used_titles)
            sheet = wb.create_sheet(title)
            sheet.freeze_panes = "A2"
            _header(sheet, HEADERS_ZH)
        sheet.append(values)
        t = totals.setdefault(row.township, [0, Decimal(0), 0, 0, {}, 0])
        t[0] += 1
        if row.satisfaction is not None:
            t[1] += row.satisfaction
            t[2] += 1
        t[3] += row.violations
        t[4][row.final_grade] = t[4].get(row.final_grade, 0) + 1
        t[5] += int(row.golden)
    for township, (n, s, scored, violations, grades, golden) in totals.items():
        summary.append(neutralise_row([township, n, float((s / scored).quantize(Decimal("0.1"))) if scored else None,
                        violations, grades.get("excellent", 0), grades.get("competent", 0),
                        grades.get("basic", 0), grades.get("incompetent", 0), grades.get("", 0),
                        golden]))
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
