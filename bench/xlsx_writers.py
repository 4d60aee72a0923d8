"""The xlsx writers side by side on the province's annual appraisal report (issue 14).

Each writer writes the same workbook from the same synthetic ``AppraisalRow`` stream
(``bench/export_appraisal.py``'s rows: 80 cadres per township, so 107,000 rows make
1,338 township sheets): sheet 1 for people (Chinese headers in bold, widths, frozen
header, A4 landscape fit to width, header repeated on every printed page), sheet 2 汇总,
then one sheet per township. Each run is its own subprocess, so its peak RSS is its own.

- ``openpyxl``: write-only mode with lxml (``appraisal.exports.write_xlsx_openpyxl``);
- ``xlsxwriter``: XlsxWriter ``constant_memory`` (``appraisal.exports.write_xlsx``, kept);
- ``rustpy``: ``rustpy-xlsxwriter`` (requirements-bench.txt), whose API takes a whole
  sheet (a list or generator of dicts) per call and writes at ``save()``: the rows of every
  sheet are held in memory until then (the township sheets cannot be streamed from one pass).
- ``*-first``: every row in one township, so sheet 1 (107,000 x 12) and one township sheet
  (107,000 x 18): the cost of the rows without the cost of 1,338 sheets.

Usage (from the project root):

    .venv/bin/python bench/xlsx_writers.py                 # 107,000 rows, every writer
    .venv/bin/python bench/xlsx_writers.py --rows 10000 --writers xlsxwriter openpyxl
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
YEAR = 2026
WRITERS = ["openpyxl", "xlsxwriter", "rustpy", "openpyxl-first", "xlsxwriter-first", "rustpy-first"]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process (user + system): less sensitive than the wall time to
    other processes on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxiang.settings.test")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    import django

    django.setup()


def _rustpy(rows, out, *, first_only: bool) -> int:
    from collections import defaultdict

    from rustpy_xlsxwriter import FastExcel

    from appraisal import exports
    from residency.spreadsheets import text_width

    first_headers = [str(h) for h in exports.FIRST_HEADERS]
    zh = [str(h) for h in exports.HEADERS_ZH]
    page = {"landscape": True, "paper_size": 9, "repeat_rows": 0, "fit_to_pages": (1, 0),
            "print_gridlines": True}
    detail, by_township, count, totals = [], defaultdict(list), 0, {}
    for row in rows:
        exports._add_to_totals(totals, row)
        detail.append(dict(zip(first_headers, exports.first_sheet_values(row), strict=True)))
        by_township["第0镇" if first_only else row.township].append(
                dict(zip(zh, exports.township_sheet_values(row), strict=True)))
        count += 1
    book = FastExcel(str(out)).format(bold_headers=True).freeze(row=1)
    book.sheet(f"{YEAR}年度考核", detail, page_setup=page,
               column_widths=exports.FIRST_WIDTHS)
    summary_headers = [str(h) for h in exports.SUMMARY_HEADERS]
    book.sheet("汇总", [dict(zip(summary_headers, values, strict=True))
                      for values in exports._summary_rows(totals)], page_setup=page)
    used: set[str] = set()
    for township, records in by_township.items():
        book.sheet(exports._sheet_title(township, used), records,
                   page_setup=page, column_widths=[max(8, text_width(h) + 4) for h in zh])
    book.save()
    return count


def run(writer: str, n: int) -> dict:
    _setup()
    from export_appraisal import synthetic_rows

    from appraisal import exports

    out = Path(tempfile.mkdtemp(prefix="bench_xlsx_")) / "report.xlsx"
    rss_start = peak_mib()
    first_only = writer.endswith("-first")
    name = writer.removesuffix("-first")
    rows = synthetic_rows(n)
    if first_only and name != "rustpy":
        # Every row in one township: one township sheet besides sheet 1 (a near-copy).
        rows = (r for r in synthetic_rows(n) if setattr(r, "township_id", 0) or
                setattr(r, "township", "第0镇") or True)
    t0 = time.perf_counter()
    cpu0 = _cpu()
    with out.open("wb") as fh:
        if name == "openpyxl":
            count = exports.write_xlsx_openpyxl(rows, fh, year=YEAR)
        elif name == "xlsxwriter":
            count = exports.write_xlsx(rows, fh, year=YEAR)
        else:
            fh.close()
            count = _rustpy(rows, out, first_only=first_only)
    seconds = time.perf_counter() - t0
    return {"writer": writer, "rows": count, "seconds": round(seconds, 1),
            "cpu": round(_cpu() - cpu0, 1),
            "mib": round(out.stat().st_size / 2**20, 1), "rss_start_mib": round(rss_start),
            "peak_rss_mib": round(peak_mib())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=107_000)
    parser.add_argument("--writers", nargs="*", default=WRITERS, choices=WRITERS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child, args.rows)), flush=True)
        return
    print(f"{'writer':<17} {'rows':>8} {'seconds':>8} {'CPU s':>6} {'file MiB':>8} {'RSS at start':>12} "
          f"{'peak RSS MiB':>12}", flush=True)
    for writer in args.writers:
        proc = subprocess.run([sys.executable, __file__, "--child", writer, "--rows", str(args.rows)],
                              cwd=ROOT, capture_output=True, text=True)
        if proc.returncode:
            print(f"{writer:<17} failed: {proc.stderr.strip().splitlines()[-1:]}", flush=True)
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{r['writer']:<17} {r['rows']:>8} {r['seconds']:>8} {r['cpu']:>6} {r['mib']:>8} "
              f"{r['rss_start_mib']:>12} {r['peak_rss_mib']:>12}", flush=True)


if __name__ == "__main__":
    main()
