"""``manage.py export_roster --week 2026-W10 --out roster.csv``."""
from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from residency import audit
from residency.models import Township
from residency.nights.isoweek import BadWeek, format_week, parse_week
from residency.roster.outputs import CSV_COLUMNS, export_rows
from residency.spreadsheet_safety import FormulaSafeCsvWriter


class Command(BaseCommand):
    help = (
        "导出一个 ISO 周的住夜安排为 CSV: 每名干部在本周每个有住夜或已批准请假的日期一行, "
        "列为 date,township,village,cadre,station_village,status,borrowed "
        "(镇/村/驻村为名称, cadre 为用户名, date 为 ISO 日期, status 为 stay 或 leave, "
        "borrowed 为 0 或 1)。包含草稿周的住夜。导出记入审计日志。"
        " Exports one ISO week of the roster as CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", required=True, metavar="YYYY-Www", help="ISO 周, 如 2026-W10。")
        parser.add_argument("--out", required=True, metavar="FILE",
                            help="输出文件路径 (UTF-8); 用 - 表示标准输出。")
        parser.add_argument("--township", metavar="CODE", action="append",
                            help="只导出这个镇(街道)代码 (可重复)。")

    def handle(self, *args, week: str, out: str, township, **options):
        try:
            monday = parse_week(week)
        except BadWeek as exc:
            raise CommandError(str(exc)) from exc
        ids = None
        if township:
            ids = list(Township.objects.filter(code__in=township).values_list("pk", flat=True))
            if not ids:
                raise CommandError("没有符合条件的镇(街道)。")
        rows = export_rows(week_start=monday, township_ids=ids)
        try:
            handle = sys.stdout if out == "-" else open(out, "w", newline="", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法写入 {out}: {exc.strerror}") from exc
        try:
            writer = FormulaSafeCsvWriter(handle, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            writer.writerows(rows)
        finally:
            if handle is not sys.stdout:
                handle.close()
        audit.record("roster_export_csv", object_type="residency.rosterweek", object_id=format_week(monday),
                     username="manage.py", rows=len(rows), out=out)
        if out != "-":
            self.stdout.write(f"{format_week(monday)}: 已导出 {len(rows)} 行到 {out}")
