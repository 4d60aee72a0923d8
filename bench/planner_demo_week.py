"""How many cadres share a village office's night: the demo county's week, as planned now.

Builds every township's planner input from the database (``build_plan_input``, as
``roster_plan`` does, inside a transaction that is rolled back: nothing is written), plans
it, and prints the village-nights by number of cadres, the nights over the beds, and the
nights of four or more cadres in a village that has a night of one. Run from the project
root on the demo database (``manage.py seed_demo``)::

    .venv/bin/python bench/planner_demo_week.py --week 2026-W11
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxiang.settings.local")


def main() -> None:
    import django

    django.setup()
    from django.db import transaction

    from residency.models import Township
    from residency.nights.isoweek import parse_week
    from residency.roster.planner import plan
    from residency.roster.services.planning import build_plan_input, roster_week_get

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--week", default="2026-W11")
    args = parser.parse_args()
    monday = parse_week(args.week)
    hist: Counter = Counter()
    over = stacked = 0
    cpu = 0.0
    with transaction.atomic():
        for t in Township.objects.order_by("county__code", "code"):
            week = roster_week_get(township=t, week_start=monday)
            inp, _existing = build_plan_input(week=week, today=monday)
            start = time.process_time()
            result = plan(inp)
            cpu += time.process_time() - start
            beds = {v.id: v.beds for v in inp.villages}
            count = Counter((s.village_id, s.night) for s in result.stays)
            least: dict[int, int] = {}
            for (vid, _night), k in count.items():
                least[vid] = min(least.get(vid, k), k)
            for (vid, _night), k in count.items():
                hist[k] += 1
                over += k > beds[vid]
                stacked += k >= 4 and least[vid] == 1
        transaction.set_rollback(True)
    print(f"{args.week} planned on its Monday: village-nights by cadres {dict(sorted(hist.items()))}, "
          f"over the beds {over}, 4+ cadres where the village has a night of 1: {stacked}, "
          f"planning {cpu:.3f} s CPU")


if __name__ == "__main__":
    main()
