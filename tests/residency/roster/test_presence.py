"""Presence (issue 10): where the phone was at check-in and how far from the village office;
corrections of presence by the township admin; bounded spot checks; 补假; transfers."""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from nightlog.models import LinkedHousehold
from residency.directory.services import station_end
from residency.models import AuditLog, Leave, SpotCheck, Station, Stay, Village
from residency.roster.geo import haversine_m
from residency.roster.selectors import cadre_nights, missed_checkins
from residency.roster.services import (
    CheckinPosition,
    leave_approve,
    parse_position,
    roster_plan,
    spot_check_record,
    stay_check_in,
    stay_presence_correct,
)
from tests.residency.factories import make_cadre, make_household, make_village
from tests.residency.roster.factories import make_leave, make_stay, make_week

SH = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 2)
OFFICE = (Decimal("30.630000"), Decimal("120.560000"))


def at(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=SH)


def north_of(lat: float, metres: float) -> float:
    return lat + metres / 111_195.0


@pytest.fixture
def night(people, directory):
    Village.objects.filter(pk=directory["v11"].pk).update(latitude=OFFICE[0], longitude=OFFICE[1])
    week = make_week(directory["t1"], MONDAY, published=True)
    return {"week": week, "stay": make_stay(week, people["cadre"], directory["v11"], MONDAY),
            **people, **directory}


# --- Distance, pure -------------------------------------------------------------------------


def test_haversine_is_zero_at_the_same_point_and_symmetric():
    assert haversine_m(30.63, 120.56, 30.63, 120.56) == 0
    assert haversine_m(30.5, 120.3, 30.8, 120.7) == pytest.approx(haversine_m(30.8, 120.7, 30.5, 120.3))


def test_haversine_measures_a_degree_of_latitude_as_about_111_km():
    assert haversine_m(30.0, 120.0, 31.0, 120.0) == pytest.approx(111_195, rel=1e-3)


def test_haversine_shrinks_a_degree_of_longitude_by_the_cosine_of_the_latitude():
    expected = 111_195 * math.cos(math.radians(30.6))
    assert haversine_m(30.6, 120.0, 30.6, 121.0) == pytest.approx(expected, rel=2e-3)


def test_haversine_across_the_county_is_tens_of_kilometres():
    # Tongxiang's demo box corners, about 50 km apart.
    assert 45_000 < haversine_m(30.5, 120.3, 30.8, 120.7) < 52_000


# --- The position the browser posts ---------------------------------------------------------


def test_a_posted_position_is_read_and_bad_numbers_are_no_position():
    p = parse_position({"position_status": "ok", "latitude": "30.63", "longitude": "120.56",
                        "accuracy": "15"})
    assert (p.status, p.latitude, p.longitude, p.accuracy_m) == ("ok", 30.63, 120.56, 15.0)
    assert parse_position({"position_status": "ok", "latitude": "abc", "longitude": "1"}).status == "none"
    assert parse_position({"position_status": "ok", "latitude": "95", "longitude": "1"}).status == "none"
    assert parse_position({"position_status": "ok", "latitude": "nan", "longitude": "1"}).status == "none"
    assert parse_position({}).status == "none"
    assert parse_position({"position_status": "denied", "latitude": "30"}).status == "denied"
    assert parse_position({"position_status": "bogus"}).status == "none"


# --- Check-in with a position -----------------------------------------------------------------


def test_a_check_in_3_km_from_the_office_is_far_and_keeps_position_accuracy_distance(night):
    pos = CheckinPosition(status="ok", latitude=north_of(30.63, 3000), longitude=120.56, accuracy_m=20)
    stay = stay_check_in(stay=night["stay"], cadre=night["cadre"], now=at(MONDAY, 21), position=pos)
    stay = Stay.objects.get(pk=stay.pk)
    assert stay.checkin_far is True
    assert 2990 <= stay.checkin_distance_m <= 3010
    assert stay.checkin_accuracy_m == 20 and stay.checkin_position_status == "ok"
    assert stay.checkin_latitude == Decimal(str(round(north_of(30.63, 3000), 6)))
    assert stay.checked_in_at == at(MONDAY, 21)  # the server's time


def test_a_check_in_at_the_office_is_not_far(night):
    pos = CheckinPosition(status="ok", latitude=north_of(30.63, 120), longitude=120.56, accuracy_m=10)
    stay = stay_check_in(stay=night["stay"], cadre=night["cadre"], now=at(MONDAY, 21), position=pos)
    assert (stay.checkin_far, 110 <= stay.checkin_distance_m <= 130) == (False, True)


@override_settings(CHECKIN_FAR_RADIUS_M=100)
def test_the_far_radius_is_a_setting(night):
    pos = CheckinPosition(status="ok", latitude=north_of(30.63, 120), longitude=120.56)
    assert stay_check_in(stay=night["stay"], cadre=night["cadre"], now=at(MONDAY, 21),
                         position=pos).checkin_far is True


def test_a_check_in_without_a_position_is_marked_and_flags_nothing(night):
    stay = stay_check_in(stay=night["stay"], cadre=night["cadre"], now=at(MONDAY, 21),
                         position=CheckinPosition(status="denied"))
    stay = Stay.objects.get(pk=stay.pk)
    assert (stay.checkin_position_status, stay.checkin_far, stay.checkin_distance_m) == ("denied", False, None)
    assert stay.checked_in_at is not None  # the check-in itself counts


def test_a_village_without_office_coordinates_stores_the_position_but_no_distance(night):
    Village.objects.filter(pk=night["v11"].pk).update(latitude=None, longitude=None)
    pos = CheckinPosition(status="ok", latitude=31.0, longitude=121.0)
    stay = stay_check_in(stay=night["stay"], cadre=night["cadre"], now=at(MONDAY, 21), position=pos)
    assert (stay.checkin_distance_m, stay.checkin_far, stay.checkin_latitude) == (None, False, Decimal("31.000000"))


@override_settings(CHECKIN_WINDOW_START="00:00", CHECKIN_WINDOW_END="24:00")
def test_the_page_stores_the_posted_position_and_works_without_javascript(client, people, directory):
    Village.objects.filter(pk=directory["v11"].pk).update(latitude=OFFICE[0], longitude=OFFICE[1])
    today = timezone.localdate()
    week = make_week(directory["t1"], today - timedelta(days=today.weekday()), published=True)
    stay = make_stay(week, people["cadre"], directory["v11"], today)
    client.force_login(people["cadre"].user)
    page = client.get(reverse("residency:roster-mine")).content.decode()
    assert "js/checkin_position.js" in page and "<script>" not in page
    response = client.post(reverse("residency:stay-checkin", args=[stay.pk]), {
        "position_status": "ok", "latitude": str(north_of(30.63, 3000)), "longitude": "120.56",
        "accuracy": "12"}, follow=True)
    assert "远离村部" in response.content.decode()
    assert Stay.objects.get(pk=stay.pk).checkin_far is True
    # Without JavaScript the form posts no position: the check-in still goes through.
    other = make_stay(week, people["cadre_other"], directory["v12"], today)
    client.force_login(people["cadre_other"].user)
    client.post(reverse("residency:stay-checkin", args=[other.pk]))
    other = Stay.objects.get(pk=other.pk)
    assert other.checked_in_at is not None and other.checkin_position_status == "none"


def test_the_township_admin_sees_the_far_flag_on_the_grid_and_the_stay(client, night):
    pos = CheckinPosition(status="ok", latitude=north_of(30.63, 3000), longitude=120.56, accuracy_m=20)
    stay = stay_check_in(stay=night["stay"], cadre=night["cadre"], now=at(MONDAY, 21), position=pos)
    client.force_login(night["township_admin"])
    grid = client.get(reverse("residency:roster-week", args=[night["t1"].pk, "2026-W10"])).content.decode()
    assert f'data-testid="far-{stay.pk}"' in grid
    detail = client.get(reverse("residency:stay-detail", args=[stay.pk])).content.decode()
    assert 'data-testid="far-flag"' in detail and "精度约 20 米" in detail


# --- Corrections ----------------------------------------------------------------------------


def test_a_correction_to_present_counts_the_night_and_is_audited(night):
    assert cadre_nights(cadre_ids=[night["cadre"].pk], year=2026, until=date(2026, 12, 31)) == {
        night["cadre"].pk: (1, 0)}
    stay = stay_presence_correct(stay=night["stay"], presence="present", reason="手机没电, 村支书证明在村",
                                 by=night["township_admin"])
    assert cadre_nights(cadre_ids=[night["cadre"].pk], year=2026, until=date(2026, 12, 31)) == {
        night["cadre"].pk: (1, 1)}
    assert stay.pk not in [s.pk for s in missed_checkins(since=MONDAY, until=MONDAY,
                                                         now=at(MONDAY + timedelta(days=2), 9))]
    log = AuditLog.objects.get(action="stay_presence_correct")
    assert (log.object_id, log.detail["presence"], log.detail["reason"]) == (
        str(stay.pk), "present", "手机没电, 村支书证明在村")
    assert log.action_label == "更正住夜在岗情况"


def test_a_correction_to_absent_overrides_a_check_in(night):
    stay_check_in(stay=night["stay"], cadre=night["cadre"], now=at(MONDAY, 21))
    stay_presence_correct(stay=night["stay"], presence="absent", reason="暗访当晚不在村",
                          by=night["township_admin"])
    assert cadre_nights(cadre_ids=[night["cadre"].pk], year=2026, until=date(2026, 12, 31)) == {
        night["cadre"].pk: (1, 0)}
    assert Stay.objects.get(pk=night["stay"].pk).checked_in_at is not None  # kept as recorded


def test_a_correction_needs_a_reason_and_a_night_that_has_begun(night, people, directory):
    with pytest.raises(ValidationError, match="更正理由"):
        stay_presence_correct(stay=night["stay"], presence="present", reason="  ", by=people["township_admin"])
    with pytest.raises(ValidationError):
        stay_presence_correct(stay=night["stay"], presence="maybe", reason="x", by=people["township_admin"])
    future = timezone.localdate() + timedelta(days=8)
    week = make_week(directory["t1"], future - timedelta(days=future.weekday()), published=True)
    later = make_stay(week, people["cadre"], directory["v11"], future)
    with pytest.raises(ValidationError, match="还没有到"):
        stay_presence_correct(stay=later, presence="present", reason="x", by=people["township_admin"])
    assert not Stay.objects.exclude(presence="").exists()


def test_the_township_admin_corrects_through_the_stay_page_and_sees_the_correction(client, night):
    client.force_login(night["township_admin"])
    url = reverse("residency:stay-presence", args=[night["stay"].pk])
    refused = client.post(url, {"presence": "present", "presence_reason": ""})
    assert refused.status_code == 400 and "请填写更正理由" in refused.content.decode()
    client.post(url, {"presence": "present", "presence_reason": "村干部证明在村"})
    page = client.get(reverse("residency:stay-detail", args=[night["stay"].pk])).content.decode()
    assert 'data-testid="presence-correction"' in page and "村干部证明在村" in page


# --- Spot checks are bounded ----------------------------------------------------------------


def test_a_spot_check_older_than_48_hours_or_in_the_future_is_refused(night):
    with pytest.raises(ValidationError, match="最近 48 小时"):
        spot_check_record(village=night["v11"], at=at(MONDAY, 21), present=True, by=night["inspector"],
                          now=at(MONDAY + timedelta(days=3), 9))
    with pytest.raises(ValidationError, match="不能晚于现在"):
        spot_check_record(village=night["v11"], at=at(MONDAY, 21), present=True, by=night["inspector"],
                          now=at(MONDAY, 20))


def test_year_one_is_refused_as_too_old(night):
    with pytest.raises(ValidationError, match="最近 48 小时"):
        spot_check_record(village=night["v11"], at=datetime(1, 1, 2, 21, tzinfo=SH), present=False,
                          note="x", by=night["inspector"], expected_cadre=night["cadre"], now=at(MONDAY, 22))


@override_settings(SPOT_CHECK_MAX_AGE_HOURS=72)
def test_the_age_limit_is_a_setting(night):
    check = spot_check_record(village=night["v11"], at=at(MONDAY, 21), present=True,
                              by=night["inspector"], now=at(MONDAY + timedelta(days=3), 9))
    assert check.night == MONDAY


def test_an_inspector_records_only_in_the_villages_he_inspects(night):
    with pytest.raises(ValidationError, match="不在您的检查范围内"):
        spot_check_record(village=night["v12"], at=at(MONDAY, 21), present=True, by=night["inspector"],
                          expected_cadre=night["cadre_other"], now=at(MONDAY, 22))


def test_only_a_cadre_rostered_or_stationed_there_that_night_can_be_found_absent(night, people):
    # cadre_other is stationed in v12 and not rostered in v11 on Monday: refused.
    with pytest.raises(ValidationError, match="既没有排在东村住夜, 也不驻东村"):
        spot_check_record(village=night["v11"], at=at(MONDAY, 21), present=False, note="无人",
                          expected_cadre=people["cadre_other"], by=people["township_admin"],
                          now=at(MONDAY, 22))
    # A cadre stationed in v11 without a stay that night can be checked.
    neighbour = make_cadre(night["v11"], username="neighbour")
    check = spot_check_record(village=night["v11"], at=at(MONDAY, 21), present=False, note="无人",
                              expected_cadre=neighbour, by=people["township_admin"], now=at(MONDAY, 22))
    assert check.stay is None
    # ... but not before his station starts.
    Station.objects.filter(cadre=neighbour).update(start=MONDAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="也不驻东村"):
        spot_check_record(village=night["v11"], at=at(MONDAY, 21), present=False, note="无人",
                          expected_cadre=neighbour, by=people["township_admin"], now=at(MONDAY, 22))
    assert SpotCheck.objects.count() == 1


def test_the_spot_check_page_shows_the_refusal_in_chinese(client, night):
    client.force_login(night["inspector"])
    old = (timezone.localtime() - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("residency:spotcheck-create"), {
        "village": night["v11"].pk, "at": old, "present": "0", "note": "无人",
        "expected_cadre": night["cadre"].pk})
    assert response.status_code == 400 and "最近 48 小时" in response.content.decode()


# --- 补假 (backdated leave) ----------------------------------------------------------------------


def test_leave_starting_in_the_past_is_marked_backdated_when_the_township_admin_approves(night):
    today = MONDAY + timedelta(days=3)
    leave = make_leave(night["cadre"], MONDAY, MONDAY, status=Leave.Status.PENDING, kind="sick")
    leave = leave_approve(leave=leave, by=night["township_admin"], today=today)
    assert (leave.status, leave.backdated) == ("approved", True)
    assert cadre_nights(cadre_ids=[night["cadre"].pk], year=2026, until=date(2026, 12, 31)) == {
        night["cadre"].pk: (0, 0)}


def test_backdated_leave_further_than_3_days_needs_the_organisation_department(night):
    today = MONDAY + timedelta(days=4)
    leave = make_leave(night["cadre"], MONDAY, MONDAY, status=Leave.Status.PENDING, kind="sick")
    with pytest.raises(ValidationError, match="须由组织部审批"):
        leave_approve(leave=leave, by=night["township_admin"], today=today)
    assert Leave.objects.get(pk=leave.pk).status == "pending"
    approved = leave_approve(leave=leave, by=night["org_department"], today=today)
    assert (approved.status, approved.backdated) == ("approved", True)


@override_settings(LEAVE_BACKDATE_DAYS_TOWNSHIP=7)
def test_the_township_limit_is_a_setting(night):
    leave = make_leave(night["cadre"], MONDAY, MONDAY, status=Leave.Status.PENDING)
    assert leave_approve(leave=leave, by=night["township_admin"], today=MONDAY + timedelta(days=6)).backdated


def test_leave_starting_today_or_later_is_not_backdated(night):
    leave = make_leave(night["cadre"], MONDAY, MONDAY + timedelta(days=1), status=Leave.Status.PENDING)
    assert leave_approve(leave=leave, by=night["township_admin"], today=MONDAY).backdated is False


def test_the_leave_list_marks_backdated_leave(client, night):
    leave = make_leave(night["cadre"], MONDAY, MONDAY)
    Leave.objects.filter(pk=leave.pk).update(backdated=True)
    client.force_login(night["township_admin"])
    page = client.get(reverse("residency:leave-list")).content.decode()
    assert f'data-testid="backdated-{leave.pk}"' in page and "补假" in page


# --- Transfers ---------------------------------------------------------------------------------


def test_ending_a_station_ends_the_ties_to_that_villages_households_the_same_day(
        people, directory, django_capture_on_commit_callbacks):
    cadre = people["cadre"]
    mine = make_household(directory["v11"], head="甲")
    elsewhere = make_household(directory["v12"], head="乙")
    LinkedHousehold.objects.create(cadre=cadre, household=mine, since=date(2026, 1, 5))
    other_link = LinkedHousehold.objects.create(cadre=cadre, household=elsewhere, since=date(2026, 1, 5))
    station = Station.objects.get(cadre=cadre)
    with django_capture_on_commit_callbacks(execute=True):
        station_end(station=station, end=date(2026, 3, 31), by=people["township_admin"])
    assert LinkedHousehold.objects.get(household=mine).until == date(2026, 3, 31)
    assert LinkedHousehold.objects.get(pk=other_link.pk).until is None
    assert AuditLog.objects.filter(action="station_end_links_end").count() == 1


def test_a_station_starting_later_takes_effect_on_its_start_date_in_the_planner(directory):
    t1 = directory["t1"]
    v_new = make_village(t1, code="009", name="新村")
    mover = make_cadre(directory["v11"], username="mover", start=date(2026, 1, 1))
    stayer = make_cadre(v_new, username="stayer", start=date(2026, 1, 1))
    for i in range(3):
        make_cadre(directory["v12"], username=f"w{i}")
    # Transferred from v11 to v_new from Thursday 5 March.
    Station.objects.filter(cadre=mover).update(end=date(2026, 3, 4))
    Station.objects.create(cadre=mover, village=v_new, start=date(2026, 3, 5))
    make_cadre(directory["v11"], username="east_only")
    roster_plan(township=t1, week_start=MONDAY, today=date(2026, 1, 1))
    for stay in Stay.objects.filter(cadre=mover):
        home = directory["v11"] if stay.night < date(2026, 3, 5) else v_new
        assert stay.village == home or stay.borrowed
    # The week after, he is planned in the new village only.
    Stay.objects.all().delete()
    roster_plan(township=t1, week_start=MONDAY + timedelta(days=7), today=date(2026, 1, 1))
    assert set(Stay.objects.filter(cadre=mover, borrowed=False).values_list("village_id", flat=True)) <= {v_new.pk}
    assert stayer.pk in set(Stay.objects.values_list("cadre_id", flat=True))


def test_a_future_station_does_not_move_the_cadre_before_its_start(directory):
    t1 = directory["t1"]
    v_new = make_village(t1, code="010", name="远村")
    make_cadre(v_new, username="v_new_local")
    mover = make_cadre(directory["v11"], username="mover2", start=date(2026, 1, 1))
    Station.objects.filter(cadre=mover).update(end=date(2026, 3, 15))
    Station.objects.create(cadre=mover, village=v_new, start=date(2026, 3, 16))
    make_cadre(directory["v12"], username="w_only")
    roster_plan(township=t1, week_start=MONDAY, today=date(2026, 1, 1))
    assert set(Stay.objects.filter(cadre=mover, borrowed=False).values_list("village_id", flat=True)) <= {
        directory["v11"].pk}
    assert Stay.objects.filter(cadre=mover).exists()


# --- The village office's position -------------------------------------------------------------


def test_the_township_admin_sets_the_office_position_with_range_checks(client, people, directory):
    client.force_login(people["township_admin"])
    url = reverse("residency:village-position", args=[directory["v11"].pk])
    bad = client.post(url, {"latitude": "95", "longitude": "120.5"})
    assert bad.status_code == 400 and "纬度应在 -90 到 90 之间" in bad.content.decode()
    half = client.post(url, {"latitude": "30.6", "longitude": ""})
    assert half.status_code == 400 and "要么都填" in half.content.decode()
    no_bed = client.post(url, {"latitude": "30.6", "longitude": "120.5", "beds": "0"})
    assert no_bed.status_code == 400 and "床位数至少为 1" in no_bed.content.decode()
    saved = client.post(url, {"latitude": "30.612345", "longitude": "120.554321", "beds": "3"})
    assert saved.status_code == 302
    v = Village.objects.get(pk=directory["v11"].pk)
    assert (v.latitude, v.longitude, v.beds) == (Decimal("30.612345"), Decimal("120.554321"), 3)
    log = AuditLog.objects.get(action="village_position_set")
    assert (log.detail["previous_beds"], log.detail["beds"]) == (2, 3)
    page = client.get(reverse("residency:village-detail", args=[v.pk])).content.decode()
    assert "30.612345" in page and 'data-testid="edit-position"' in page
    assert 'data-testid="office-beds"' in page
    form = client.get(url).content.decode()
    assert 'name="beds"' in form and 'value="3"' in form


def test_a_transfer_imported_from_a_spreadsheet_ends_the_old_villages_ties(
        people, directory, django_capture_on_commit_callbacks):
    from residency.importing.services import import_confirm, upload_store
    from tests.residency.importing.files import HEADERS, xlsx
    from tests.residency.importing.test_services import ctx_for

    moved = people["cadre_other"]  # stationed in 西村 (v12)
    west = make_household(directory["v12"], head="丙")
    LinkedHousehold.objects.create(cadre=moved, household=west, since=date(2026, 1, 5))
    rows = [HEADERS["cadres"], ["cadre2", "改", "13800000002", "", "", "东村", "2026-03-09"]]
    upload = upload_store(user=people["township_admin"], kind="cadres", filename="c.xlsx",
                          data=xlsx(rows), county=None)
    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(upload=upload, ctx=ctx_for(people["township_admin"], directory))
    assert LinkedHousehold.objects.get(household=west).until == date(2026, 3, 8)


# --- Page cost ----------------------------------------------------------------------------------


def test_the_stay_page_with_check_in_facts_and_correction_has_a_fixed_cost(
        client, night, django_assert_max_num_queries):
    pos = CheckinPosition(status="ok", latitude=north_of(30.63, 3000), longitude=120.56, accuracy_m=20)
    stay = stay_check_in(stay=night["stay"], cadre=night["cadre"], now=at(MONDAY, 21), position=pos)
    stay_presence_correct(stay=stay, presence="absent", reason="核实", by=night["township_admin"])
    client.force_login(night["township_admin"])
    with django_assert_max_num_queries(20):
        page = client.get(reverse("residency:stay-detail", args=[stay.pk]))
    assert page.status_code == 200 and "核实" in page.content.decode()


@pytest.mark.parametrize("size", [1, 4])
def test_far_flags_on_the_week_grid_cost_no_query_per_stay(client, night, size,
                                                           django_assert_max_num_queries):
    for i in range(size):
        cadre = make_cadre(night["v11"], username=f"far{i}")
        stay = make_stay(night["week"], cadre, night["v11"], MONDAY + timedelta(days=1 + i % 4))
        Stay.objects.filter(pk=stay.pk).update(checked_in_at=at(stay.night, 21), checkin_far=True,
                                               checkin_distance_m=3000, checkin_position_status="ok")
    client.force_login(night["township_admin"])
    with django_assert_max_num_queries(25):
        page = client.get(reverse("residency:roster-week", args=[night["t1"].pk, "2026-W10"]))
    assert page.content.decode().count("远离村部 3000 米") == size
