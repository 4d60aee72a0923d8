"""Planning one ISO week for every township of the database: in this process, or as one
Celery task per township (``plan_roster --async``) spread over the running workers.

Run from the project root against a database with townships (e.g. the demo county,
``manage.py seed_demo``), with ``DATABASE_URL`` and ``REDIS_URL`` set::

    .venv/bin/python bench/planner_celery.py --week 2026-W51 --reset            # in-process
    .venv/bin/celery -A tongxiang worker -c 1 -n w1@%h &                        # two workers
    .venv/bin/celery -A tongxiang worker -c 1 -n w2@%h &
    .venv/bin/python bench/planner_celery.py --week 2026-W51 --reset --async    # spread

``--reset`` deletes the week's stays and roster weeks first, so every run plans from
scratch (never on a database that matters). With ``--async`` the time is from the first
task sent to the last township's ``RosterWeek.planned_at`` (there is no result backend).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxiang.settings.local")


def main() -> None:
    import django

    django.setup()
    from django.utils import timezone

    from residency.models import RosterWeek, Stay, Township
    from residency.nights.isoweek import parse_week
    from residency.roster.services import roster_plan
    from residency.tasks import plan_township_week

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--week", required=True)
    parser.add_argument("--async", dest="run_async", action="store_true")
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    monday = parse_week(args.week)
    townships = list(Township.objects.order_by("county__code", "code"))
    if args.reset:
        Stay.objects.filter(week__week_start=monday).delete()
        RosterWeek.objects.filter(week_start=monday).delete()
    start, cpu = time.perf_counter(), time.process_time()
    if not args.run_async:
        for t in townships:
            roster_plan(township=t, week_start=monday)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"{len(townships)} townships, {args.week}, in-process: {wall:.2f} s wall "
              f"({cpu:.2f} s CPU of this process)")
        return
    sent = timezone.now()
    for t in townships:
        plan_township_week.delay(t.pk, monday.isoformat())
    while True:
        done = RosterWeek.objects.filter(week_start=monday, planned_at__gte=sent).count()
        if done >= len(townships):
            break
        if time.perf_counter() - start > 600:
            sys.exit(f"only {done} of {len(townships)} townships planned after 600 s")
        time.sleep(0.05)
    wall = time.perf_counter() - start
    print(f"{len(townships)} townships, {args.week}, Celery tasks: {wall:.2f} s wall from the "
          f"first task sent to the last week planned")


if __name__ == "__main__":
    main()
