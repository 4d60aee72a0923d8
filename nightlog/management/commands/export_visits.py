"""``manage.py export_visits``: the night log's visits of a period as CSV."""
from __future__ import annotations

import getpass
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from nightlog.models import MustVisit, Problem, Visit
from nightlog.selectors.common import period_range
from residency import audit
from residency.spreadsheet_safety import FormulaSafeCsvWriter

COLUMNS = ["date", "township", "village", "cadre", "household", "categories", "stay_night",
           "problem", "late_entry", "entered_at"]


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise CommandError(_("%(option)s 日期无效: %(value)r(格式应为 YYYY-MM-DD,如 2026-01-31)")
                           % {"option": option, "value": value}) from exc


def visit_rows(*, since: date, until: date, township_ids: list[int] | None = None):
    """One row per visit of [since, until] (local dates), streamed from the database;
    ``township_ids``: only the visits of those townships' villages (None: every one)."""
    from django.utils import timezone

    start, stop = period_range(since, until)
    labels = [(code, str(label)) for code, label in MustVisit.choices]  # in the rule's order
    qs = (Visit.objects.filter(visited_at__gte=start, visited_at__lt=stop)
          .filter(**({} if township_ids is None else
                      {"household__village__township_id__in": township_ids}))
          .annotate(has_problem=Exists(Problem.objects.filter(visit=OuterRef("pk"))))
          .order_by("visited_at", "pk")
          .values_list("visited_at", "household__village__township__name",
                       "household__village__name", "cadre__user__username", "household__head",
                       "household__categories", "stay__night", "has_problem", "late_entry",
                       "created_at"))
    for (at, township, village, cadre, head, categories, night, has_problem, late,
         entered) in qs.iterator(chunk_size=2000):
        yield [timezone.localtime(at).date().isoformat(), township, village, cadre, head,
               "|".join(label for code, label in labels if code in categories),
               night.isoformat() if night else "", "1" if has_problem else "0",
               "1" if late else "0",
               timezone.localtime(entered).isoformat(timespec="minutes")]


class Command(BaseCommand):
    help = ("导出一段时间内的走访记录(民情夜记)为 CSV,列为 "
            "date,township,village,cadre,household,categories,stay_night,problem,late_entry,"
            "entered_at:走访日期、镇(街道)、村、干部账号、户主、五必访类别(以 | 分隔)、所属住夜(ISO 日期或空)、"
            "是否登记了问题(0/1)、是否补记(0/1)、录入时间。按行流式写出,导出会记入审计日志。"
            " Example: manage.py export_visits --from 2026-01-01 --to 2026-03-31 --out visits.csv")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD",
                            help="开始日期(含),按走访当天的本地日期。")
        parser.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD",
                            help="结束日期(含)。")
        parser.add_argument("--out", required=True, metavar="FILE",
                            help="输出的 CSV 文件路径(UTF-8);用 - 表示标准输出。")

    def handle(self, *args, date_from: str, date_to: str, out: str, **options):
        since = parse_day(date_from, "--from")
        until = parse_day(date_to, "--to")
        if until < since:
            raise CommandError(_("--to 不能早于 --from。"))
        count = 0
        try:
            handle = sys.stdout if out == "-" else open(out, "w", newline="", encoding="utf-8")
        except OSError as exc:
            raise CommandError(_("无法写入 %(out)s: %(reason)s") % {"out": out, "reason": exc.strerror}) from exc
        try:
            writer = FormulaSafeCsvWriter(handle)
            writer.writerow(COLUMNS)
            for row in visit_rows(since=since, until=until):
                writer.writerow(row)
                count += 1
        finally:
            if handle is not sys.stdout:
                handle.close()
        audit.record("export_visits", username=f"cli:{getpass.getuser()}",
                     object_type="nightlog.visit", rows=count, date_from=since.isoformat(),
                     date_to=until.isoformat(), out=out)
        if out != "-":
            self.stdout.write(_("已导出 %(count)d 条走访记录到 %(out)s。") % {"count": count, "out": out})
