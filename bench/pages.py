"""Server time of each page alone, in process (no HTTP, no other request), and its profile.

Run from the project root against the county data of ``bench/make_data.py``, with the
settings the server uses::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tx_bench \\
    DJANGO_SETTINGS_MODULE=tongxiang.settings.production DJANGO_SECRET_KEY=x \\
    DJANGO_ALLOWED_HOSTS=testserver DJANGO_SECURE_COOKIES=0 \\
        .venv/bin/python bench/pages.py --repeat 30
    ... bench/pages.py --profile "township: dashboard"    # pyinstrument (requirements-bench.txt)
    ... bench/pages.py --cprofile "cadre: home"           # cProfile, by cumulative time

For each page: the median and the fastest of ``--repeat`` renders (after one warm-up), and
the number of queries. The user is logged in with ``force_login`` (a session row, as in
production); each page is asked as the demo login of its role.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxiang.settings.production")

PAGES = [
    ("cadre: home", "demo_cadre", "/"),
    ("cadre: my nights / check-in", "demo_cadre", "/residency/my-nights/"),
    ("cadre: household search", "demo_cadre", "/nightlog/households/?q=%E6%B2%88"),
    ("cadre: record a visit (form)", "demo_cadre", "/nightlog/visits/new/"),
    ("cadre: night log", "demo_cadre", "/nightlog/log/"),
    ("township: home", "demo_township", "/"),
    ("township: roster grid", "demo_township", "{grid}"),
    ("township: dashboard", "demo_township", "/residency/dashboard/township/"),
    ("township: statistics", "demo_township", "/appraisal/statistics/"),
    ("org: home", "demo_org", "/"),
    ("org: review queue", "demo_org", "/appraisal/violations/?status=candidate"),
    ("org: county dashboard", "demo_org", "/residency/dashboard/county/"),
    ("org: statistics", "demo_org", "/appraisal/statistics/"),
    ("org: reports", "demo_org", "/appraisal/reports/"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="", help="pages whose label contains this")
    parser.add_argument("--profile", default="", help="profile this page (its label) with pyinstrument")
    parser.add_argument("--cprofile", default="", help="profile this page (its label) with cProfile")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from residency.models import Township
    from residency.nights.isoweek import format_week, monday_of

    township = Township.objects.get(name="洲泉镇", county__code="330483")
    grid = f"/residency/roster/{township.pk}/{format_week(monday_of(timezone.localdate()))}/"
    clients: dict[str, Client] = {}
    User = get_user_model()
    print(f"{'page':34} {'median ms':>10} {'min ms':>8} {'queries':>8}")
    for label, username, path in PAGES:
        if args.only and args.only not in label:
            continue
        if args.profile and args.profile != label:
            continue
        if args.cprofile and args.cprofile != label:
            continue
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(User.objects.get(username=username))
        path = path.format(grid=grid)
        response = client.get(path)
        assert response.status_code == 200, (label, response.status_code)
        if args.cprofile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                client.get(path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
            return 0
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(args.repeat):
                client.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
            return 0
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(f"{label:34} {statistics.median(times) * 1000:>10.1f} {min(times) * 1000:>8.1f} "
              f"{len(queries):>8}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
