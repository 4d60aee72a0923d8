"""Run the reminder sweep by hand, exactly as beat triggers it."""
from __future__ import annotations

import argparse
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.kinds import Kind
from notifications.services import reminders_sweep

FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_at(value: str) -> datetime:
    for fmt in FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).replace(
                tzinfo=timezone.get_current_timezone())
        except ValueError:
            continue
    raise CommandError(
        f'--at "{value}" 不是有效的时间，请写成 "YYYY-MM-DD HH:MM"（本地时间，'
        f'{timezone.get_current_timezone_name()}），例如 --at "2026-03-02 16:00"。')


class Command(BaseCommand):
    help = """\
Run every reminder sweep due at a moment, exactly as Celery beat does (the same
service, notifications.services.reminders_sweep), and print how many reminders of
each kind it created. Safe to repeat: a second run at the same moment creates none.
Without a broker (no REDIS_URL) the e-mails and SMS are sent in-process.

Times (settings NOTIFICATIONS_TIMES, Asia/Shanghai):
  16:00              a cadre's stay tonight
  21:30              no check-in yet (cadre + township admins)
  09:00 next morning stayed but no night log
  Thursday 10:00     next week's roster gaps (township admins)
  daily 08:30        overdue problems (owner on days 1, 3, 7, then weekly;
                     township admins once, after 7 days)
  Monday 09:00       fewer than 5 linked households / must-visit households unvisited
  09:00              a week and a day before a village's review meeting
Everything due but not tonight (overdue problems, ties, pending approvals, roster
gaps, meetings, a night with no log) is listed in ONE digest per person and sweep
("digest"); tonight's stay and a missing check-in stay notifications of their own.
Each sweep also re-derives recent events (published weeks, leave and swap requests
and decisions) and re-enqueues messages not yet delivered. If a rule fails, the others
are still created, the failure is printed and the exit status is 1.

Examples:
  python manage.py run_reminders --at "2026-03-02 16:00"
  python manage.py run_reminders --at "2026-03-02 21:30" --kind checkin_missing
"""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter  # keep the paragraphs
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--at", metavar='"YYYY-MM-DD HH:MM"',
            help="the moment to sweep at, local time (default: now). "
                 'Example: --at "2026-03-02 16:00"')
        parser.add_argument(
            "--kind", action="append", choices=Kind.values, metavar="KIND",
            help="only these kinds (repeatable). One of: " + ", ".join(Kind.values))

    def handle(self, *args, at=None, kind=None, **options):
        moment = parse_at(at) if at else timezone.now()
        result = reminders_sweep(at=moment, kinds=set(kind) if kind else None)
        local = timezone.localtime(moment)
        self.stdout.write(f"Sweep at {local:%Y-%m-%d %H:%M} ({local.tzinfo}):")
        labels = dict(Kind.choices)
        if not result.created and not result.digested:
            self.stdout.write("  no sweep due at this moment")
        for k in sorted(result.created):
            self.stdout.write(f"  {k} ({labels.get(k, k)}): {result.created[k]} created")
        for k in sorted(result.digested):
            self.stdout.write(f"  {k} ({labels.get(k, k)}): {result.digested[k]} listed in digests")
        for k, why in sorted(result.unavailable.items()):
            self.stdout.write(self.style.WARNING(f"  {k}: not available ({why} missing)"))
        for k, why in sorted(result.errors.items()):
            self.stderr.write(self.style.ERROR(f"  {k}: failed: {why}"))
        self.stdout.write(f"  total: {result.notifications} created "
                          f"({result.created.get(Kind.DIGEST, 0)} digests listing "
                          f"{sum(result.digested.values())} items), "
                          f"{result.redelivered} undelivered re-enqueued")
        if result.errors:  # the others were created; the exit status tells cron/scripts
            raise CommandError(
                f"{len(result.errors)} 类提醒生成失败：{', '.join(sorted(result.errors))}"
                "（其余已生成；下次运行会重试）。")
        if result.errors:
            raise CommandError("some reminder rules failed (see above)")
