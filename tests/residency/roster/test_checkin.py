"""Check-in: one tap, server time, inside the window (17:00 to 02:00 by default, local
time Asia/Shanghai); after midnight it belongs to the previous night's stay. Spot checks.
The contract selectors that appraisal reads (candidate violations)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from residency import events
from residency.models import Leave, SpotCheck, Stay
from residency.roster.selectors import (
    absent_spot_checks,
    cadre_nights,
    missed_checkins,
)
from residency.roster.services import checkin_night, spot_check_record, stay_check_in
from tests.residency.roster.factories import make_leave, make_stay, make_week

SH = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 2)


def at(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=SH)


@pytest.fixture
def stays(people, directory):
    week = make_week(directory["t1"], MONDAY, published=True)
    cadre = people["cadre"]
    return {
        "week": week,
        "mon": make_stay(week, cadre, directory["v11"], MONDAY),
        "wed": make_stay(week, cadre, directory["v11"], MONDAY + timedelta(days=2)),
        "other": make_stay(week, people["cadre_other"], directory["v12"], MONDAY),
        **people, **directory,
    }


def test_the_window_runs_from_17_00_to_02_00_next_morning():
    assert checkin_night(at(MONDAY, 16, 59)) is None
    assert checkin_night(at(MONDAY, 17, 0)) == MONDAY
    assert checkin_night(at(MONDAY, 23, 59)) == MONDAY
    assert checkin_night(at(MONDAY + timedelta(days=1), 1, 59)) == MONDAY
    assert checkin_night(at(MONDAY + timedelta(days=1), 2, 0)) is None


def test_the_window_is_read_in_the_server_time_zone_not_utc():
    # 10:30 UTC is 18:30 in Shanghai: inside the window of that night.
    assert checkin_night(datetime(2026, 3, 2, 10, 30, tzinfo=UTC)) == MONDAY
    # 17:30 UTC is 01:30 next morning in Shanghai: still Monday's night.
    assert checkin_night(datetime(2026, 3, 2, 17, 30, tzinfo=UTC)) == MONDAY


@override_settings(CHECKIN_WINDOW_START="20:00", CHECKIN_WINDOW_END="23:00")
def test_the_window_is_configurable():
    assert checkin_night(at(MONDAY, 19, 0)) is None
    assert checkin_night(at(MONDAY, 21, 0)) == MONDAY
    assert checkin_night(at(MONDAY, 23, 30)) is None


def test_a_cadre_checks_in_tonight_and_after_midnight_it_counts_for_the_previous_night(stays):
    cadre = stays["cadre"]
    stay = stay_check_in(stay=stays["mon"], cadre=cadre, now=at(MONDAY + timedelta(days=1), 0, 40))
    assert Stay.objects.get(pk=stay.pk).checked_in_at == at(MONDAY + timedelta(days=1), 0, 40)
    with pytest.raises(ValidationError, match="无需重复签到"):
        stay_check_in(stay=stays["mon"], cadre=cadre, now=at(MONDAY + timedelta(days=1), 0, 50))


def test_check_in_outside_the_window_or_on_another_night_is_refused(stays):
    cadre = stays["cadre"]
    with pytest.raises(ValidationError, match="签到时间"):
        stay_check_in(stay=stays["mon"], cadre=cadre, now=at(MONDAY, 15, 0))
    with pytest.raises(ValidationError, match="签到时间"):
        stay_check_in(stay=stays["wed"], cadre=cadre, now=at(MONDAY, 20, 0))
    with pytest.raises(ValidationError, match="自己的住夜"):
        stay_check_in(stay=stays["other"], cadre=cadre, now=at(MONDAY, 20, 0))
    assert not Stay.objects.filter(checked_in_at__isnull=False).exists()


def test_a_draft_weeks_stay_cannot_be_checked_in(stays):
    stays["week"].status = "draft"
    stays["week"].save()
    with pytest.raises(ValidationError, match="尚未发布"):
        stay_check_in(stay=stays["mon"], cadre=stays["cadre"], now=at(MONDAY, 20, 0))


@override_settings(CHECKIN_WINDOW_START="00:00", CHECKIN_WINDOW_END="24:00")
def test_the_big_button_checks_in_through_the_page(client, people, directory):
    today = timezone.localdate()
    week = make_week(directory["t1"], today - timedelta(days=today.weekday()), published=True)
    stay = make_stay(week, people["cadre"], directory["v11"], today)
    client.force_login(people["cadre"].user)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="checkin"' in page
    response = client.post(reverse("residency:stay-checkin", args=[stay.pk]), follow=True)
    assert "签到成功" in response.content.decode()
    assert Stay.objects.get(pk=stay.pk).checked_in_at is not None


def test_a_cadre_cannot_check_in_to_a_colleagues_stay_through_the_page(client, people, directory):
    today = timezone.localdate()
    week = make_week(directory["t1"], today - timedelta(days=today.weekday()), published=True)
    stay = make_stay(week, people["cadre_other"], directory["v12"], today)
    client.force_login(people["cadre"].user)
    assert client.post(reverse("residency:stay-checkin", args=[stay.pk])).status_code == 404


def test_spot_check_finds_the_expected_cadre_from_the_published_roster(stays,
                                                                       django_capture_on_commit_callbacks):
    heard = []
    events.spot_check_recorded.connect(lambda sender, **kw: heard.append(kw), weak=False, dispatch_uid="sc")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            check = spot_check_record(village=stays["v11"], at=at(MONDAY + timedelta(days=1), 0, 30),
                                      present=False, note="村部无人", by=stays["inspector"],
                                      now=at(MONDAY + timedelta(days=1), 1))
    finally:
        events.spot_check_recorded.disconnect(dispatch_uid="sc")
    assert (check.night, check.expected_cadre_id, check.stay_id) == (MONDAY, stays["cadre"].pk, stays["mon"].pk)
    assert heard == [{"signal": events.spot_check_recorded, "spot_check_id": check.pk}]


def test_spot_check_absent_needs_a_note_and_a_future_time_is_refused(stays):
    with pytest.raises(ValidationError, match="情况说明"):
        spot_check_record(village=stays["v11"], at=at(MONDAY, 21), present=False, by=stays["inspector"],
                          now=at(MONDAY, 22))
    with pytest.raises(ValidationError, match="不能晚于现在"):
        spot_check_record(village=stays["v11"], at=timezone.now() + timedelta(days=1), present=True,
                          by=stays["inspector"])
    with pytest.raises(ValidationError, match="请选择应在岗干部"):
        spot_check_record(village=stays["v11"], at=at(MONDAY + timedelta(days=3), 21), present=True,
                          by=stays["inspector"], now=at(MONDAY + timedelta(days=3), 22))


def test_inspector_records_a_spot_check_through_the_page_only_in_his_villages(client, stays):
    client.force_login(stays["inspector"])
    recent = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    ok = client.post(reverse("residency:spotcheck-create"), {
        "village": stays["v11"].pk, "at": recent, "present": "1", "note": "",
        "expected_cadre": stays["cadre"].pk})
    assert ok.status_code == 302
    refused = client.post(reverse("residency:spotcheck-create"), {
        "village": stays["v12"].pk, "at": recent, "present": "1",
        "expected_cadre": stays["cadre_other"].pk})
    assert refused.status_code == 400
    assert SpotCheck.objects.count() == 1


# --- The contract selectors ---------------------------------------------------------------


def test_cadre_nights_counts_published_stays_and_check_ins_up_to_a_date(stays):
    Stay.objects.filter(pk=stays["mon"].pk).update(checked_in_at=at(MONDAY, 20))
    result = cadre_nights(cadre_ids=[stays["cadre"].pk, stays["cadre_far"].pk], year=2026,
                          until=MONDAY + timedelta(days=1))
    assert result == {stays["cadre"].pk: (1, 1), stays["cadre_far"].pk: (0, 0)}
    assert cadre_nights(cadre_ids=[stays["cadre"].pk], year=2026, until=date(2026, 12, 31)) == {
        stays["cadre"].pk: (2, 1)}


def test_a_night_later_covered_by_approved_leave_is_not_a_night_required(stays):
    make_leave(stays["cadre"], MONDAY, MONDAY)  # sick leave approved after the night
    assert cadre_nights(cadre_ids=[stays["cadre"].pk], year=2026, until=date(2026, 12, 31)) == {
        stays["cadre"].pk: (1, 0)}
    # a night the cadre did stay still counts, leave or not
    Stay.objects.filter(pk=stays["mon"].pk).update(checked_in_at=at(MONDAY, 20))
    assert cadre_nights(cadre_ids=[stays["cadre"].pk], year=2026, until=date(2026, 12, 31)) == {
        stays["cadre"].pk: (2, 1)}


def test_missed_checkins_are_published_stays_whose_window_closed(stays):
    Stay.objects.filter(pk=stays["other"].pk).update(checked_in_at=at(MONDAY, 20))
    before_close = missed_checkins(since=MONDAY, until=MONDAY, now=at(MONDAY + timedelta(days=1), 1, 0))
    assert list(before_close) == []
    after = missed_checkins(since=MONDAY, until=MONDAY + timedelta(days=6),
                            now=at(MONDAY + timedelta(days=1), 3, 0))
    assert [s.pk for s in after] == [stays["mon"].pk]


def test_a_missed_night_later_covered_by_approved_leave_is_not_a_candidate_violation(stays):
    make_leave(stays["cadre"], MONDAY, MONDAY)  # sick leave approved after the night
    after = missed_checkins(since=MONDAY, until=MONDAY + timedelta(days=6),
                            now=at(MONDAY + timedelta(days=1), 3, 0))
    assert stays["mon"].pk not in [s.pk for s in after]
    assert stays["other"].pk in [s.pk for s in after]
    make_leave(stays["cadre"], MONDAY + timedelta(days=2), MONDAY + timedelta(days=2),
               status=Leave.Status.PENDING)
    later = missed_checkins(since=MONDAY, until=MONDAY + timedelta(days=6), now=at(MONDAY + timedelta(days=3), 3))
    assert stays["wed"].pk in [s.pk for s in later]


def test_absent_spot_checks_are_the_candidate_violations(stays):
    spot_check_record(village=stays["v11"], at=at(MONDAY, 22), present=True, by=stays["inspector"],
                      now=at(MONDAY, 23, 30))
    absent = spot_check_record(village=stays["v11"], at=at(MONDAY, 23), present=False, note="不在",
                               by=stays["inspector"], now=at(MONDAY, 23, 30))
    assert list(absent_spot_checks(since=MONDAY, until=MONDAY)) == [absent]


def test_contract_selectors_run_a_constant_number_of_queries(stays, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        cadre_nights(cadre_ids=[stays["cadre"].pk], year=2026, until=date(2026, 12, 31))
    with django_assert_max_num_queries(1):
        list(missed_checkins(since=MONDAY, until=date(2026, 12, 31)))
    with django_assert_max_num_queries(1):
        list(absent_spot_checks(since=MONDAY, until=date(2026, 12, 31)))


def test_after_midnight_last_nights_stay_awaits_check_in_and_is_missed_only_when_the_window_closes(
        client, stays, monkeypatch):
    url = reverse("residency:roster-mine")
    monkeypatch.setattr(timezone, "now", lambda: at(MONDAY + timedelta(days=1), 0, 40))
    client.force_login(stays["cadre"].user)
    page = client.get(url).content.decode()
    assert 'data-testid="awaiting-checkin"' in page and 'data-testid="checkin"' in page
    assert "text-bg-danger" not in page
    monkeypatch.setattr(timezone, "now", lambda: at(MONDAY + timedelta(days=1), 3, 0))
    client.force_login(stays["cadre"].user)  # the idle session of 00:40 has expired by 03:00
    page = client.get(url).content.decode()
    assert 'data-testid="awaiting-checkin"' not in page and "text-bg-danger" in page
