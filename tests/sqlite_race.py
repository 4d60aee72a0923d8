"""Concurrent writes against a file-based SQLite database (the embedded default), run in a
subprocess by tests/test_sqlite_concurrency.py because the test suite's own database is
PostgreSQL in CI. Usage: DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m tests.sqlite_race

Migrates the empty file, seeds one village with cadres, a household and an open meeting,
then, all released at once by a barrier: online votes (through the ballot page, as a
phone would), check-ins and visit saves (through their services, which the views call),
plus a few page reads. Prints one JSON line: what succeeded and every error."""
from __future__ import annotations

import json
import os
import threading
import traceback
from datetime import date, datetime, time, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxiang.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

VOTERS = CHECKINS = VISITS = 8


def main() -> dict:
    call_command("migrate", verbosity=0, interactive=False)
    from appraisal import services as appraisal_services
    from appraisal.selectors import meeting_cadres
    from nightlog.services.visits import visit_create
    from residency.roster.services.checkin import stay_check_in
    from tests.appraisal.factories import make_meeting, make_stay
    from tests.residency.factories import (
        make_cadre,
        make_county,
        make_household,
        make_official,
        make_township,
        make_village,
    )

    county = make_county(code="330483", name="测试县")
    township = make_township(county, code="001", name="甲镇")
    village = make_village(township, code="001", name="东村")
    admin = make_official("township_admin", username="tadmin", township=township)
    cadres = [make_cadre(village, username=f"c{i}", start=date(2020, 1, 1))
              for i in range(max(CHECKINS, VISITS))]
    household = make_household(village, head="王大明")
    now = timezone.now()
    local = timezone.localtime(now)
    night = local.date() if local.time() >= time(12) else local.date() - timedelta(days=1)
    checkin_at = datetime.combine(night, time(21, 0), tzinfo=local.tzinfo)
    stays = [make_stay(c, village, night) for c in cadres[:CHECKINS]]
    meeting = make_meeting(village, year=local.year, held_on=local.date())
    codes = appraisal_services.ballot_codes_generate(meeting=meeting, kind="resident",
                                                     count=VOTERS, by=admin)
    ratings = {f"cadre_{c.pk}": "satisfied" for c in meeting_cadres(meeting=meeting)}
    connection.close()

    barrier = threading.Barrier(VOTERS + CHECKINS + VISITS + 2)
    lock = threading.Lock()
    outcome = {"votes": 0, "checkins": 0, "visits": 0, "reads": 0, "errors": []}

    def run(kind, work):
        try:
            barrier.wait(timeout=60)
            work()
            with lock:
                outcome[kind] += 1
        except Exception:  # every failure is reported, none is fatal to the run
            with lock:
                outcome["errors"].append(f"{kind}: {traceback.format_exc(limit=3)}")
        finally:
            connection.close()

    def vote(code):
        def work():
            client = Client(REMOTE_ADDR=f"10.0.0.{len(code) % 200}")
            response = client.post("/appraisal/vote/", {"code": code, "submit_ballot": "1", **ratings})
            if response.status_code != 200 or b'data-testid="ballot-done"' not in response.content:
                raise AssertionError(f"vote answered {response.status_code}")
        return work

    def check_in(stay, cadre):
        return lambda: stay_check_in(stay=stay, cadre=cadre, by=cadre.user, now=checkin_at)

    def save_visit(cadre):
        return lambda: visit_create(cadre=cadre, household=household, by=cadre.user,
                                    visited_at=now - timedelta(minutes=30),
                                    situation="家中一切正常", now=now)

    def read():
        client = Client()
        client.force_login(admin)
        response = client.get("/appraisal/meetings/")
        if response.status_code != 200:
            raise AssertionError(f"meeting list answered {response.status_code}")

    jobs = ([("votes", vote(c)) for c in codes]
            + [("checkins", check_in(s, c)) for s, c in zip(stays, cadres, strict=False)]
            + [("visits", save_visit(c)) for c in cadres[:VISITS]]
            + [("reads", read), ("reads", read)])
    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome["journal_mode"] = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    return outcome


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
