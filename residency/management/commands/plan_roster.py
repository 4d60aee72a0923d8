"""``manage.py plan_roster --week 2026-W10 [--township CODE] [--async]``."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from residency.models import Township
from residency.nights.isoweek import BadWeek, format_week, parse_week
from residency.roster.services import roster_plan
from residency.tasks import plan_township_week


class Command(BaseCommand):
    help = (
        "为一个 ISO 周自动排住夜班 (每个工作日晚上每个村部都有干部住夜, 每人每周 1 至 2 晚), "
        "默认所有镇(街道), 并打印无法覆盖的村·夜及原因。已锁定的住夜、已过去的夜晚和已签到的住夜不变; "
        "已发布的周重新排班时尽量少改动。"
        " Plans the roster of one ISO week for every township (or one) and prints the gaps."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", required=True, metavar="YYYY-Www",
                            help="ISO 周, 如 2026-W10 (周一至周日)。")
        parser.add_argument("--township", metavar="CODE", action="append",
                            help="只排这个镇(街道)代码 (可重复; 多个县有相同代码时都会排)。")
        parser.add_argument("--county", metavar="CODE", help="只排这个县(市、区)代码下的镇(街道)。")
        parser.add_argument("--async", dest="run_async", action="store_true",
                            help="每个镇(街道)一个 Celery 任务 (没有 REDIS_URL 时在本进程内执行)。")

    def handle(self, *args, week: str, township, county, run_async: bool, **options):
        try:
            monday = parse_week(week)
        except BadWeek as exc:
            raise CommandError(str(exc)) from exc
        townships = Township.objects.select_related("county").order_by("county__code", "code")
        if county:
            townships = townships.filter(county__code=county)
        if township:
            townships = townships.filter(code__in=township)
        townships = list(townships)
        if not townships:
            raise CommandError("没有符合条件的镇(街道)。")
        label = format_week(monday)
        total_gaps = 0
        if run_async:
            results = [plan_township_week.delay(t.pk, monday.isoformat()) for t in townships]
            self.stdout.write(f"{label}: 已提交 {len(results)} 个排班任务。")
            if not plan_township_week.app.conf.task_always_eager:
                self.stdout.write("任务由 Celery worker 执行; 无法覆盖的村·夜见各镇(街道)排班页。")
                return
            for t, res in zip(townships, results, strict=True):
                value = res.get()
                total_gaps += self._report(t, value["created"], value["updated"],
                                           value["deleted"], value["gaps"],
                                           value.get("crowded", []))
            self.stdout.write(f"{label}: 无法覆盖 {total_gaps} 个村·夜。")
            return
        for t in townships:
            try:
                s = roster_plan(township=t, week_start=monday)
            except ValidationError as exc:
                self.stderr.write(f"{t.county.name} {t.name}: {' '.join(exc.messages)}")
                continue
            total_gaps += self._report(t, s.created, s.updated, s.deleted, s.gaps, s.crowded)
        self.stdout.write(f"{label}: {len(townships)} 个镇(街道)排班完成, 无法覆盖 {total_gaps} 个村·夜。")

    def _report(self, t, created, updated, deleted, gaps, crowded=()) -> int:
        self.stdout.write(f"{t.county.name} {t.name} ({t.code}): 新增 {created}, 调整 {updated}, "
                          f"取消 {deleted}, 无法覆盖 {len(gaps)}")
        for g in gaps:
            self.stdout.write(f"  未覆盖 {g['night']} {g['reason']}")
        for c in crowded:
            self.stdout.write(f"  超出床位 {c['night']} {c['reason']}")
        return len(gaps)
