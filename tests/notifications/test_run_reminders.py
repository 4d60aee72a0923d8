"""``run_reminders --at``: every sweep due at that moment, as beat runs it; twice = once."""
from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from notifications import tasks
from notifications.kinds import Kind
from notifications.models import DigestItem, Notification

from .factories import make_stay

pytestmark = pytest.mark.django_db
MON = date(2026, 3, 2)


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command("run_reminders", *args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def test_prints_how_many_of_each_kind_and_a_second_run_creates_none(staff):
    make_stay(staff["cadre"], MON)
    make_stay(staff["cadre_other"], MON)
    first = run(at="2026-03-02 16:00")
    assert "stay_tonight (今晚住夜提醒): 2 created" in first
    assert "problem_overdue (问题逾期未办结): 0 listed in digests" in first
    # A Monday: the weekly household-ties sweep is due too (three cadres without ties),
    # each listed in that cadre's digest.
    assert "ties_incomplete (联系户与必访户提醒): 3 listed in digests" in first
    assert "digest (待办汇总): 3 created" in first
    assert "total: 5 created (3 digests listing 3 items)" in first
    assert Notification.objects.count() == 5

    second = run(at="2026-03-02 16:00")
    assert "stay_tonight (今晚住夜提醒): 0 created" in second
    assert "total: 0 created" in second
    assert Notification.objects.count() == 5


def test_a_moment_before_the_time_runs_no_stay_sweep(staff):
    make_stay(staff["cadre"], MON)
    out = run(at="2026-03-03 08:00")  # a Tuesday before any daily time
    assert "stay_tonight" not in out and "checkin_missing" not in out
    assert not Notification.objects.filter(kind=Kind.STAY_TONIGHT).exists()


def test_the_beat_task_runs_the_same_sweep(staff):
    make_stay(staff["cadre"], MON)
    make_stay(staff["cadre_other"], MON + timedelta(days=1))
    result = tasks.sweep.delay(at="2026-03-02T16:00:00+08:00").get()
    assert result["created"][Kind.STAY_TONIGHT] == 1
    assert "stay_tonight (今晚住夜提醒): 0 created" in run(at="2026-03-02 16:00")


def test_the_beat_task_reads_a_moment_without_offset_as_local_time(staff):
    make_stay(staff["cadre"], MON)
    result = tasks.sweep.delay(at="2026-03-02T16:00").get()  # 16:00 Asia/Shanghai
    assert result["created"][Kind.STAY_TONIGHT] == 1 and result["errors"] == {}


def test_only_the_kinds_asked_for(staff):
    make_stay(staff["cadre"], MON)
    out = run("--kind", Kind.CHECKIN_MISSING, at="2026-03-02 21:30")
    assert "checkin_missing (住夜未签到): 2 created" in out  # the cadre and the admin
    assert "ties_incomplete" not in out
    assert not Notification.objects.exclude(kind=Kind.CHECKIN_MISSING).exists()


@pytest.mark.parametrize("bad", ["2026-03-02 16", "tomorrow", "2026-02-30 16:00", "16:00"])
def test_a_bad_at_is_a_clear_error(bad):
    with pytest.raises(CommandError, match="不是有效的时间.*YYYY-MM-DD HH:MM"):
        run(at=bad)


def test_help_explains_the_command():
    from notifications.management.commands.run_reminders import Command

    parser = Command().create_parser("manage.py", "run_reminders")
    text = parser.format_help()
    assert "exactly as Celery beat" in text
    assert "--at" in text and "2026-03-02 16:00" in text
    assert "--kind" in text


def test_a_daily_or_weekly_snapshot_is_computed_once_per_occasion(staff, monkeypatch):
    from notifications import rules
    from notifications.models import SweepMark
    from notifications.services import reminders_sweep

    from .factories import local

    calls = []
    real = rules.TIMED_RULES[Kind.TIES_INCOMPLETE]
    monkeypatch.setitem(rules.TIMED_RULES, Kind.TIES_INCOMPLETE,
                        lambda **kw: calls.append(kw["occasion"].day) or real(**kw))
    for minute in (0, 5, 10):
        reminders_sweep(at=local(2026, 3, 2, 9, minute), kinds={Kind.TIES_INCOMPLETE})
    assert calls == [MON]
    assert SweepMark.objects.filter(kind=Kind.TIES_INCOMPLETE, day=MON).exists()
    assert DigestItem.objects.filter(kind=Kind.TIES_INCOMPLETE).count() == 3
    assert Notification.objects.filter(kind=Kind.DIGEST).count() == 3


def test_a_failed_snapshot_leaves_no_mark_and_the_next_sweep_retries(staff, monkeypatch):
    from notifications import rules
    from notifications.models import SweepMark
    from notifications.services import reminders_sweep

    from .factories import local

    real = rules.TIMED_RULES[Kind.TIES_INCOMPLETE]

    def broken(**kw):
        raise RuntimeError("database hiccup")

    monkeypatch.setitem(rules.TIMED_RULES, Kind.TIES_INCOMPLETE, broken)
    result = reminders_sweep(at=local(2026, 3, 2, 9, 0), kinds={Kind.TIES_INCOMPLETE})
    assert result.errors == {Kind.TIES_INCOMPLETE: "database hiccup"}
    assert not SweepMark.objects.exists()
    monkeypatch.setitem(rules.TIMED_RULES, Kind.TIES_INCOMPLETE, real)
    result = reminders_sweep(at=local(2026, 3, 2, 9, 5), kinds={Kind.TIES_INCOMPLETE})
    assert result.digested == {Kind.TIES_INCOMPLETE: 3}
    assert result.created == {Kind.DIGEST: 3}


def test_the_night_rules_are_reread_every_sweep_to_catch_late_changes(staff):
    from notifications.services import reminders_sweep

    from .factories import local

    reminders_sweep(at=local(2026, 3, 2, 16, 0), kinds={Kind.STAY_TONIGHT})
    make_stay(staff["cadre"], MON)  # assigned at 16:30 for tonight
    result = reminders_sweep(at=local(2026, 3, 2, 16, 35), kinds={Kind.STAY_TONIGHT})
    assert result.created == {Kind.STAY_TONIGHT: 1}


def test_a_failed_rule_is_reported_and_the_exit_status_is_an_error(staff, monkeypatch):
    from notifications import rules

    def broken(**kw):
        raise RuntimeError("database hiccup")

    make_stay(staff["cadre"], MON)
    monkeypatch.setitem(rules.TIMED_RULES, Kind.TIES_INCOMPLETE, broken)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="ties_incomplete"):
        call_command("run_reminders", at="2026-03-02 16:00", stdout=out, stderr=err)
    assert "ties_incomplete: failed: database hiccup" in err.getvalue()
    # The other rules still ran.
    assert "stay_tonight (今晚住夜提醒): 1 created" in out.getvalue()
