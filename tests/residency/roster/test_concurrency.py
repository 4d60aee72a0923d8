"""Concurrent edits on PostgreSQL: parallel requests trying to double-book a cadre or to
push a cadre past two nights. Exactly one wins; the other gets a clear refusal, never a
500. (The week row lock serialises edits; the one_stay_per_cadre_night constraint is the
last word.)"""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from residency.models import RosterWeek, Stay
from residency.nights.isoweek import format_week, monday_of
from residency.roster.services import stay_assign, stay_check_in
from tests.residency.factories import (
    make_cadre,
    make_county,
    make_official,
    make_township,
    make_village,
)

pytestmark = [pytest.mark.django_db(transaction=True)]


def run_parallel(*functions):
    """Run the functions in threads released together; return their results/exceptions."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def setup(require_postgres):
    county = make_county()
    township = make_township(county, name="并发镇")
    v1, v2 = make_village(township, name="一村"), make_village(township, name="二村")
    cadre = make_cadre(v1, username="busy", name="忙碌")
    admin = make_official("township_admin", username="padmin", township=township)
    monday = monday_of(timezone.localdate()) + timedelta(days=7)
    week = RosterWeek.objects.create(township=township, week_start=monday)
    return {"township": township, "v1": v1, "v2": v2, "cadre": cadre, "admin": admin,
            "monday": monday, "week": week}


def test_two_parallel_assignments_of_one_cadre_on_one_night_exactly_one_wins(setup):
    s = setup
    results = run_parallel(
        lambda: stay_assign(week=s["week"], cadre=s["cadre"], village=s["v1"], night=s["monday"]),
        lambda: stay_assign(week=s["week"], cadre=s["cadre"], village=s["v2"], night=s["monday"]),
    )
    wins = [r for r in results if isinstance(r, Stay)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(wins) == 1 and len(refusals) == 1, results
    assert "同一晚不能住两处" in " ".join(refusals[0].messages)
    assert Stay.objects.filter(cadre=s["cadre"], night=s["monday"]).count() == 1


def test_parallel_assignments_cannot_push_a_cadre_past_two_nights(setup):
    s = setup
    stay_assign(week=s["week"], cadre=s["cadre"], village=s["v1"], night=s["monday"])
    results = run_parallel(*[
        (lambda k=k: stay_assign(week=s["week"], cadre=s["cadre"], village=s["v1"],
                                 night=s["monday"] + timedelta(days=k)))
        for k in (1, 2, 3)
    ])
    assert sum(isinstance(r, Stay) for r in results) == 1, results
    assert all(isinstance(r, (Stay, ValidationError)) for r in results)
    assert Stay.objects.filter(cadre=s["cadre"]).count() == 2


def test_parallel_requests_through_the_page_one_302_one_clear_400_no_500(setup):
    s = setup
    url = reverse("residency:stay-assign", args=[s["township"].pk, format_week(s["monday"])])

    def post(village):
        client = Client()
        client.force_login(s["admin"])
        response = client.post(url, {"cadre": s["cadre"].pk, "village": village.pk,
                                     "night": s["monday"].isoformat()})
        return response.status_code, response.content.decode()

    results = run_parallel(lambda: post(s["v1"]), lambda: post(s["v2"]))
    codes = sorted(code for code, _body in results)
    assert codes == [302, 400], codes
    refusal = next(body for code, body in results if code == 400)
    assert "同一晚不能住两处" in refusal
    assert Stay.objects.filter(cadre=s["cadre"]).count() == 1


def test_a_double_tap_on_the_check_in_button_checks_in_once(setup):
    s = setup
    from datetime import datetime
    from zoneinfo import ZoneInfo

    RosterWeek.objects.filter(pk=s["week"].pk).update(status="published", published_at=timezone.now())
    stay = Stay.objects.create(week=s["week"], cadre=s["cadre"], village=s["v1"], night=s["monday"])
    now = datetime.combine(s["monday"], datetime.min.time(), tzinfo=ZoneInfo("Asia/Shanghai")).replace(hour=20)
    results = run_parallel(*[(lambda: stay_check_in(stay=stay, cadre=s["cadre"], now=now))] * 2)
    assert sum(isinstance(r, Stay) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1
