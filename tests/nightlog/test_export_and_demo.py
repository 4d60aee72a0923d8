"""The export_visits command and the demo step."""
import csv
import random
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from nightlog.models import Household, LinkedHousehold, Problem, Visit
from residency.models import AuditLog, Cadre
from tests.nightlog.factories import aware, make_problem, make_stay, make_visit

pytestmark = pytest.mark.django_db


def test_export_writes_exactly_the_agreed_columns(tmp_path, people, directory, households):
    stay = make_stay(people["cadre"], directory["v11"], date(2026, 2, 3))
    v = make_visit(people["cadre"], households["h11"], visited_at=aware(2026, 2, 3, 21), stay=stay)
    make_problem(v)
    make_visit(people["cadre"], households["h11"], visited_at=aware(2026, 4, 1))  # outside
    out = tmp_path / "visits.csv"
    call_command("export_visits", "--from", "2026-01-01", "--to", "2026-03-31", "--out", str(out))
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["date", "township", "village", "cadre", "household", "categories",
                       "stay_night", "problem", "late_entry", "entered_at"]
    assert rows[1:] == [["2026-02-03", "甲镇", "东村", "cadre1", "王大明", "困难户",
                         "2026-02-03", "1", "0", "2026-02-03T21:00+08:00"]]
    entry = AuditLog.objects.get(action="export_visits")
    assert entry.detail["rows"] == 1


def test_export_joins_several_categories_with_a_bar(tmp_path, people, directory):
    from tests.residency.factories import make_household

    h = make_household(directory["v11"], head="多类户", categories=["hardship", "group_leader"])
    make_visit(people["cadre"], h, visited_at=aware(2026, 1, 5))
    out = tmp_path / "v.csv"
    call_command("export_visits", "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(out))
    row = list(csv.DictReader(out.open(encoding="utf-8")))[0]
    assert row["categories"] == "困难户|“三小”组长户" and row["stay_night"] == "" and row["problem"] == "0"


@pytest.mark.parametrize("args", [
    ["--from", "2026-02-30", "--to", "2026-03-01"],
    ["--from", "2026-03-01", "--to", "yesterday"],
    ["--from", "2026-03-02", "--to", "2026-03-01"],
])
def test_export_refuses_bad_dates_clearly(tmp_path, db, args):
    with pytest.raises(CommandError) as err:
        call_command("export_visits", *args, "--out", str(tmp_path / "x.csv"))
    assert "--" in str(err.value)


def test_the_demo_step_links_visits_and_raises_problems_in_every_state():
    from nightlog.demo import seed
    from residency.demo.directory import DemoContext, seed_directory

    ctx = DemoContext(rng=random.Random(7), today=timezone.localdate())
    seed_directory(ctx)
    seed(ctx)
    below = (Cadre.objects.filter(township__county=ctx.county)
             .annotate(n=Count("links")).filter(n__lt=5))
    assert not below.exists()
    must = Household.objects.filter(village__township__county=ctx.county).exclude(categories="")
    assert not must.exclude(pk__in=LinkedHousehold.objects.values("household_id")).exists()
    assert Visit.objects.count() > 5000
    assert set(Problem.objects.values_list("status", flat=True)) == {
        "raised", "in_progress", "resolved", "confirmed", "escalated"}
    today = timezone.localdate()
    overdue = Problem.objects.filter(status__in=["raised", "in_progress"], due_date__lt=today)
    past_due = Problem.objects.filter(due_date__lt=today)
    # Realistic follow-up: a handful overdue, most resolved by their due date.
    assert 0 < overdue.count() <= past_due.count() * 0.05
    resolved = Problem.objects.filter(resolved_at__isnull=False)
    in_time = sum(1 for at, due in resolved.values_list("resolved_at", "due_date")
                  if timezone.localtime(at).date() <= due)
    assert in_time >= resolved.count() * 0.9
    assert not Visit.objects.filter(visited_at__gt=timezone.now()).exists()
    from nightlog.models import OnSiteOffice

    on_the_spot = Problem.objects.filter(on_the_spot=True)
    assert on_the_spot.exists()  # each with its recorded 现场办公, so the statistics count it
    assert not on_the_spot.exclude(pk__in=OnSiteOffice.objects.values("problem_id")).exists()


def test_export_refuses_an_unwritable_out_file_with_a_chinese_message(tmp_path, db):
    with pytest.raises(CommandError) as err:
        call_command("export_visits", "--from", "2026-01-01", "--to", "2026-01-31",
                     "--out", str(tmp_path / "no-such-dir" / "x.csv"))
    assert "无法写入" in str(err.value)


def test_export_reports_the_number_of_rows_written(tmp_path, db):
    from io import StringIO

    out, stdout = tmp_path / "v.csv", StringIO()
    call_command("export_visits", "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(out),
                 stdout=stdout)
    assert f"已导出 0 条走访记录到 {out}" in stdout.getvalue()


def test_export_messages_go_through_gettext(tmp_path, db, monkeypatch):
    from nightlog.management.commands import export_visits

    monkeypatch.setattr(export_visits, "_", lambda s: "T:" + s)
    with pytest.raises(CommandError) as err:
        call_command("export_visits", "--from", "2026-02-30", "--to", "2026-03-01",
                     "--out", str(tmp_path / "x.csv"))
    assert str(err.value).startswith("T:")
