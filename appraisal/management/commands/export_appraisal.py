"""python manage.py export_appraisal --year 2026 --out report.xlsx"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from appraisal import exports
from appraisal.selectors import iter_appraisal_rows
from residency import audit
from residency.access.scoping import ALL, COUNTY, Scope
from residency.models import County


class Command(BaseCommand):
    help = (
        "Export the annual appraisal report (rule R3): one row per cadre stationed in the "
        "year with nights required/stayed, visits, must-visit coverage, problems resolved, "
        "satisfaction (party-member, resident, combined), standing confirmed violations, the "
        "penalty-ladder step, the proposed and final grades and 金口碑. The format follows the "
        "extension of --out: .xlsx, for people (first sheet with the Chinese headers 姓名, 账号, "
        "镇(街道), 村(社区), 应住夜数, 实住夜数, 违规次数, 处理, 满意度, 拟定等次, 最终等次, "
        "金口碑 (是/否); then a 汇总 summary sheet and one sheet per township with every figure) "
        "or .csv, for machines (UTF-8 with BOM, the keys cadre, name, township, village, "
        "nights_required, nights_stayed, ..., violations, ladder, satisfaction, proposed_grade, "
        "final_grade, golden). Rows are "
        "streamed in chunks, so memory stays bounded even for a whole province. The export is "
        "written to the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="calendar year, e.g. 2026")
        parser.add_argument("--out", required=True,
                            help="output file; .xlsx or .csv decides the format")
        parser.add_argument("--county", default="",
                            help="county code to export (default: every county)")
        parser.add_argument("--chunk-size", type=int, default=1000,
                            help="cadres read per batch (default 1000)")

    def handle(self, *args, year, out, county, chunk_size, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be between 2000 and 2100")
        path = Path(out)
        suffix = path.suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            raise CommandError("--out must end in .xlsx or .csv")
        if not path.parent.exists():
            raise CommandError(f"directory {path.parent} does not exist")
        if county:
            found = County.objects.filter(code=county).first()
            if found is None:
                raise CommandError(f"no county with code {county!r}")
            scope = Scope(role=None, level=COUNTY, county_ids=frozenset({found.pk}))
        else:
            scope = Scope(role=None, level=ALL)
        rows = iter_appraisal_rows(scope=scope, year=year, chunk_size=max(chunk_size, 1))
        if suffix == ".xlsx":
            with path.open("wb") as fh:
                count = exports.write_xlsx(rows, fh, year=year)
        else:
            count = 0
            with path.open("w", encoding="utf-8", newline="") as fh:
                for line in exports.iter_csv(rows):
                    fh.write(line)
                    count += 1
            count -= 1  # the header
        audit.record("export_appraisal_command", username="manage.py", year=year, rows=count,
                     out=str(path), county=county)
        self.stdout.write(self.style.SUCCESS(f"{count} cadres written to {path}"))
