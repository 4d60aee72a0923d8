"""Benchmark of the annual appraisal export (xlsx and CSV) at county and province scale.

Two measurements, each size in its own subprocess so that the peak resident set size
(``ru_maxrss``) belongs to that size alone:

- ``rows``: N synthetic ``AppraisalRow`` objects streamed straight into ``write_xlsx`` and
  ``iter_csv`` (the writers alone);
- ``db``: N cadres built (in one process) in a fresh SQLite database (townships of ~80 cadres, villages of
  ~5, two stays each, a violation for one in ten, a paper tally each, a final grade for a
  third) and exported end to end through ``iter_appraisal_rows`` (chunked reads) and the
  writers, as ``manage.py export_appraisal`` does.

Usage (from the project root):

    .venv/bin/python bench/export_appraisal.py                      # rows: 929, 10k, 107k
    .venv/bin/python bench/export_appraisal.py --db 929 10000 107000
    .venv/bin/python bench/export_appraisal.py --rows 50000 --db

Bounded memory shows as a peak RSS that stays flat while N grows a hundredfold.
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
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR = 2026


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_rows(n: int):
    from appraisal import ladder
    from appraisal.selectors.appraisals import AppraisalRow

    for i in range(n):
        count = 0 if i % 10 else (i // 10) % 4
        yield AppraisalRow(
            cadre_id=i, username=f"cadre{i:06d}", name=f"干部{i}", position="科员",
            township_id=i // 80, township=f"第{i // 80}镇", village=f"第{i // 5}村",
            nights_required=80, nights_stayed=80 - (i % 7), visits=40 + i % 30, late_visits=i % 3,
            linked_households=5 + i % 4, must_visit_households=4, must_visit_visited=3,
            village_must_visit_households=6,
            problems_raised=6, problems_resolved=4, party_score=Decimal("91.5"),
            resident_score=Decimal("88.0"), satisfaction=Decimal("89.2"), violations=count,
            ladder=ladder.ladder_for_count(count), talk_held=False, handling_recorded=False,
            proposed_grade="competent", final_grade="competent" if i % 3 == 0 else "",
            golden=i % 500 == 0)


def setup_django(db_path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tongxiang.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()


def build_db(n: int) -> None:
    """n cadres with the rows an export reads, via bulk_create."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from appraisal.models import Appraisal, PaperTally, ReviewMeeting, Violation
    from residency.models import Cadre, County, RosterWeek, Station, Stay, Township, Village

    call_command("migrate", verbosity=0, skip_checks=True)
    User = get_user_model()
    county = County.objects.create(code="BENCH", name="基准县")
    n_townships = max(1, n // 80)
    townships = Township.objects.bulk_create(
        [Township(county=county, code=f"{t:05d}", name=f"第{t}镇") for t in range(n_townships)])
    n_villages = max(1, n // 5)
    villages = Village.objects.bulk_create(
        [Village(township=townships[v % n_townships], code=f"{v:06d}", name=f"第{v}村")
         for v in range(n_villages)], batch_size=2000)
    org = User.objects.create(username="bench_org")
    users = User.objects.bulk_create(
        [User(username=f"cadre{i:06d}", password="!") for i in range(n)], batch_size=2000)
    cadres = Cadre.objects.bulk_create(
        [Cadre(user=users[i], township=villages[i % n_villages].township, name=f"干部{i}")
         for i in range(n)], batch_size=2000)
    Station.objects.bulk_create(
        [Station(cadre=c, village=villages[i % n_villages], start=date(YEAR, 1, 1))
         for i, c in enumerate(cadres)], batch_size=2000)
    weeks = {t.pk: RosterWeek.objects.create(township=t, week_start=date(YEAR, 3, 2),
                                             status="published", published_at=timezone.now())
             for t in townships}
    Stay.objects.bulk_create(
        [Stay(cadre=c, village=villages[i % n_villages], night=date(YEAR, 3, 2 + k),
              week=weeks[villages[i % n_villages].township_id],
              checked_in_at=timezone.now() if k == 0 or i % 7 else None)
         for i, c in enumerate(cadres) for k in range(2)], batch_size=2000)
    Violation.objects.bulk_create(
        [Violation(cadre=c, occurred_on=date(YEAR, 3, 3), source="manual", reason="基准",
                   status="confirmed", decided_at=timezone.now(), decision_note="基准")
         for i, c in enumerate(cadres) if i % 10 == 0], batch_size=2000)
    meetings = ReviewMeeting.objects.bulk_create(
        [ReviewMeeting(village=v, year=YEAR, held_on=date(YEAR, 11, 20), place="村部")
         for v in villages], batch_size=2000)
    PaperTally.objects.bulk_create(
        [PaperTally(meeting=meetings[i % n_villages], cadre=c, kind="resident", satisfied=20,
                    basic=4, unsatisfied=1) for i, c in enumerate(cadres)], batch_size=2000)
    Appraisal.objects.bulk_create(
        [Appraisal(cadre=c, year=YEAR, final_grade="competent", set_by=org)
         for i, c in enumerate(cadres) if i % 3 == 0], batch_size=2000)


def run_build(n: int, db_path: str) -> None:
    setup_django(db_path)
    t0 = time.perf_counter()
    build_db(n)
    print(json.dumps({"build_s": round(time.perf_counter() - t0, 1)}), flush=True)


def run_export(mode: str, n: int, db_path: str) -> None:
    """One export measurement in this (fresh) process; prints a JSON line."""
    out_dir = Path(tempfile.mkdtemp(prefix="bench_export_"))
    setup_django(db_path)  # the rows mode never touches the database
    from appraisal import exports

    result: dict = {"mode": mode, "n": n, "rss_before_mib": round(peak_mib(), 1)}

    def rows():
        if mode == "rows":
            return synthetic_rows(n)
        from appraisal.selectors import iter_appraisal_rows
        from residency.access.scoping import ALL, Scope

        return iter_appraisal_rows(scope=Scope(role=None, level=ALL), year=YEAR)

    t0 = time.perf_counter()
    with (out_dir / "report.xlsx").open("wb") as fh:
        result["xlsx_rows"] = exports.write_xlsx(rows(), fh, year=YEAR)
    result["xlsx_s"] = round(time.perf_counter() - t0, 2)
    result["xlsx_mib"] = round((out_dir / "report.xlsx").stat().st_size / 2**20, 1)
    t0 = time.perf_counter()
    with (out_dir / "report.csv").open("w", encoding="utf-8") as fh:
        for line in exports.iter_csv(rows()):
            fh.write(line)
    result["csv_s"] = round(time.perf_counter() - t0, 2)
    result["peak_rss_mib"] = round(peak_mib(), 1)
    print(json.dumps(result, ensure_ascii=False), flush=True)


def _child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=None,
                        help="synthetic row counts (default 929 10000 107000)")
    parser.add_argument("--db", type=int, nargs="*", default=None,
                        help="database-backed cadre counts (default when given bare: 929 10000)")
    parser.add_argument("--build", nargs=2, metavar=("N", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--export", nargs=3, metavar=("MODE", "N", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        run_build(int(args.build[0]), args.build[1])
        return
    if args.export:
        run_export(args.export[0], int(args.export[1]), args.export[2])
        return
    runs = []
    if args.rows is not None or args.db is None:
        runs += [("rows", n) for n in (args.rows or [929, 10_000, 107_000])]
    if args.db is not None:
        runs += [("db", n) for n in (args.db or [929, 10_000])]
    print(f"{'mode':<5} {'cadres':>8} {'build s':>8} {'xlsx s':>7} {'csv s':>6} "
          f"{'xlsx MiB':>8} {'RSS at start':>12} {'peak RSS MiB':>12}", flush=True)
    for mode, n in runs:
        db_path = str(Path(tempfile.mkdtemp(prefix="bench_export_db_")) / "bench.sqlite3")
        build = _child("--build", str(n), db_path)["build_s"] if mode == "db" else "-"
        r = _child("--export", mode, str(n), db_path)
        print(f"{mode:<5} {n:>8} {build:>8} {r['xlsx_s']:>7} {r['csv_s']:>6} "
              f"{r['xlsx_mib']:>8} {r['rss_before_mib']:>12} {r['peak_rss_mib']:>12}", flush=True)


if __name__ == "__main__":
    main()
