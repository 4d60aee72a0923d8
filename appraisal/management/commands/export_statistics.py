"""python manage.py export_statistics --period 2026-11 --out s.xlsx [--township CODE]"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from appraisal.statistics import Period, PeriodError, village_statistics, write_statistics_xlsx
from residency import audit
from residency.models import Township


class Command(BaseCommand):
    help = (
        "Export the monthly or yearly statistics (docs/STATISTICS.md) as xlsx: a first sheet "
        "村(社区)统计 with the columns 镇(街道), 村(社区), 应住夜数, 已住夜数, 签到率, 走访户次, "
        "必访户覆盖率, 问题数, 已办结, 现场办公办结, 集中恳谈次数, 述职评议大会 (是/否), one row "
        "per village and a 合计 row, then a 镇(街道)汇总 sheet. --period 2026-11 for a month, "
        "--period 2026 for a year; nights are counted up to the last night that has begun. "
        "--township CODE (with --county CODE when two counties use the code) for one township, "
        "else every township. The export is written to the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, metavar="YYYY-MM|YYYY",
                            help="a month (2026-11) or a year (2026)")
        parser.add_argument("--out", required=True, metavar="FILE.xlsx", help="output .xlsx file")
        parser.add_argument("--township", default="", metavar="CODE",
                            help="township code (default: every township)")
        parser.add_argument("--county", default="", metavar="CODE",
                            help="county code: every township of the county, or the county "
                                 "of --township")

    def handle(self, *args, period, out, township, county, **options):
        try:
            chosen = Period.parse(period)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("--out must end in .xlsx")
        if not path.parent.exists():
            raise CommandError(f"directory {path.parent} does not exist")
        townships = Township.objects.all()
        if county:
            townships = townships.filter(county__code=county)
        if township:
            townships = townships.filter(code=township)
        ids = list(townships.values_list("pk", flat=True))
        if not ids:
            raise CommandError(f"no township matches --township {township!r} --county {county!r}")
        if township and len(ids) > 1:
            raise CommandError(f"{len(ids)} townships have the code {township!r}: add --county")
        stats = village_statistics(township_ids=ids, period=chosen)
        with path.open("wb") as fh:
            write_statistics_xlsx(stats, fh)
        audit.record("export_statistics_command", username="manage.py", period=chosen.code,
                     township=township, county=county, rows=len(stats.rows), out=str(path))
        self.stdout.write(self.style.SUCCESS(
            f"{len(stats.rows)} villages ({chosen.code}) written to {path}"))
