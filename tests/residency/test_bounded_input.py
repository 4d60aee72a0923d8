"""Bounded input (issue 11, findings 7 and 8): every date a user types or puts in a URL lies
between 2000-01-01 and 2100-12-31 (tighter where the domain says so), ids in query strings
are bounded, text has a maximum length. Bad values are refused in Chinese, never a 500."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django import forms
from django.utils import timezone

from residency.bounded_input import (
    EARLIEST_DATE,
    LATEST_DATE,
    BoundedDateField,
    parse_id,
)

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_the_bounded_date_field_accepts_the_first_and_last_day():
    class F(forms.Form):
        day = BoundedDateField()

    for day in (EARLIEST_DATE, LATEST_DATE):
        form = F({"day": day.isoformat()})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == day


@pytest.mark.parametrize("raw", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_the_bounded_date_field_refuses_dates_outside_in_chinese(raw):
    class F(forms.Form):
        day = BoundedDateField()

    form = F({"day": raw})
    assert not form.is_valid()
    assert "2000-01-01" in form.errors["day"][0] and "2100-12-31" in form.errors["day"][0]


def test_a_tighter_bound_is_named_in_the_error():
    class F(forms.Form):
        day = BoundedDateField(earliest=date(2026, 1, 1), latest=date(2026, 12, 31))

    form = F({"day": "2027-01-01"})
    assert not form.is_valid() and "2026-12-31" in form.errors["day"][0]


@pytest.mark.parametrize(("raw", "expected"), [
    ("12", 12), (" 7 ", 7), ("0", None), ("-3", None), (HUGE, None), ("１２", None), ("", None),
    (None, None), ("1e3", None), (str(2**63 - 1), 2**63 - 1), (str(2**63), None)])
def test_ids_from_the_query_string_are_positive_ascii_and_fit_a_bigint(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("url", [
    "/nightlog/log/?cadre={cadre}&date_from=9999-12-30&date_to=9999-12-31",
    "/nightlog/log/?cadre={cadre}&date_from=0001-01-01&date_to=0001-01-01",
    "/nightlog/log/?cadre=" + HUGE,
    "/nightlog/coverage/?date_from=9999-12-01&date_to=9999-12-31",
    "/nightlog/coverage/?date_from=0001-01-01&date_to=0001-01-31",
    "/nightlog/coverage/?village=" + HUGE,
    "/nightlog/households/?village=" + HUGE,
    "/residency/villages/?township=" + HUGE,
    "/nightlog/cards/print/?cadre=" + HUGE,
    "/nightlog/cards/print/?cadre={cadre}&copies=²",
    "/nightlog/households/?q=%00",
    "/residency/villages/?q=a%00b",
])
@pytest.mark.parametrize("role", ["org_department", "township_admin", "cadre"])
def test_out_of_range_dates_and_ids_in_the_url_never_give_a_500(client, people, households, url, role):
    user = people[role]
    client.force_login(getattr(user, "user", user))
    response = client.get(url.format(cadre=people["cadre"].pk))
    assert response.status_code in (200, 302, 403, 404)


# --- the findings, form by form ---------------------------------------------------------

def _login(client, people, role):
    user = people[role]
    client.force_login(getattr(user, "user", user))


@pytest.mark.parametrize(("start", "end"), [("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31"),
                                            ("2000-01-01", "2000-01-02")])
def test_leave_far_from_today_is_refused(client, people, start, end):
    from residency.models import Leave

    _login(client, people, "cadre")
    response = client.post("/residency/leaves/new/", {"kind": "personal", "start": start,
                                                      "end": end, "reason": "事假"})
    assert response.status_code == 400 and "日期应在" in response.content.decode()
    assert not Leave.objects.exists()


def test_the_leave_service_refuses_a_date_beyond_a_year_too(people):
    from django.core.exceptions import ValidationError

    from residency.roster.services import leave_request

    far = timezone.localdate() + timedelta(days=400)
    with pytest.raises(ValidationError, match="日期应在"):
        leave_request(cadre=people["cadre"], kind="personal", start=far, end=far)


@pytest.mark.parametrize("held_on", ["0001-11-20", "9999-11-20"])
def test_a_meeting_in_year_1_or_9999_is_refused(client, people, directory, held_on):
    from appraisal.models import ReviewMeeting

    _login(client, people, "township_admin")
    response = client.post("/appraisal/meetings/new/", {
        "village": directory["v11"].pk, "held_on": held_on, "place": "村部", "attendees": ""})
    assert response.status_code in (200, 400) and "日期应在" in response.content.decode()
    assert not ReviewMeeting.objects.exists()


def test_the_meeting_service_refuses_a_year_outside_the_bounds(people, directory):
    from django.core.exceptions import ValidationError

    from appraisal.services import meeting_create

    with pytest.raises(ValidationError):
        meeting_create(village=directory["v11"], year=9999, held_on=date(9999, 1, 1), place="村部",
                       attendees="", by=people["township_admin"])


def test_a_violation_dated_year_1_is_refused(client, people):
    from appraisal.models import Violation

    _login(client, people, "township_admin")
    response = client.post("/appraisal/violations/new/", {
        "cadre": people["cadre"].pk, "occurred_on": "0001-01-01", "reason": "未住夜"})
    assert "日期应在" in response.content.decode() and not Violation.objects.exists()


def test_a_workday_override_dated_year_1_is_refused(client, people):
    from residency.models import WorkdayOverride

    _login(client, people, "org_department")
    response = client.post("/residency/workdays/", {"date": "0001-01-01", "is_workday": "on",
                                                    "reason": "调休"})
    assert "日期应在" in response.content.decode() and not WorkdayOverride.objects.exists()


def test_a_contact_card_dated_year_1_is_refused(client, people, households):
    from nightlog.models import ContactCard

    _login(client, people, "cadre")
    response = client.post("/nightlog/cards/", {"household": households["h11"].pk,
                                                "given_on": "0001-01-01", "note": ""})
    assert "日期应在" in response.content.decode() and not ContactCard.objects.exists()


def test_a_roster_for_2100_w52_is_refused(client, people, directory):
    from residency.models import RosterWeek

    _login(client, people, "township_admin")
    url = f"/residency/roster/{directory['t1'].pk}/2100-W52/"
    assert client.get(url).status_code == 404
    assert client.post(url + "plan/").status_code == 404
    assert not RosterWeek.objects.filter(week_start__year=2100).exists()


def test_the_roster_service_refuses_a_week_more_than_a_year_ahead(people, directory):
    from django.core.exceptions import ValidationError

    from residency.nights.isoweek import monday_of
    from residency.roster.services import roster_plan

    with pytest.raises(ValidationError):
        roster_plan(township=directory["t1"], week_start=monday_of(timezone.localdate() + timedelta(days=400)))


def test_a_one_megabyte_visit_note_is_refused_in_chinese(client, people, households):
    from nightlog.models import Visit

    _login(client, people, "cadre")
    response = client.post("/nightlog/visits/new/", {
        "household": households["h11"].pk,
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "situation": "情" * (1024 * 1024)})
    assert response.status_code in (200, 400)
    assert "不超过" in response.content.decode() and not Visit.objects.exists()


def test_the_visit_service_refuses_an_overlong_note_too(people, households):
    from django.core.exceptions import ValidationError

    from nightlog.services.visits import visit_create

    with pytest.raises(ValidationError):
        visit_create(cadre=people["cadre"], household=households["h11"], by=people["cadre"].user,
                     visited_at=timezone.now() - timedelta(minutes=5), situation="情" * 100_000)


def test_the_night_log_shows_long_notes_truncated(client, people, households):
    from tests.nightlog.factories import make_visit

    make_visit(people["cadre"], households["h11"], situation="长" * 3000)
    _login(client, people, "cadre")
    body = client.get("/nightlog/log/").content.decode()
    assert "长" * 200 in body and "长" * 1000 not in body


def test_a_tally_with_missing_fields_is_an_error_and_changes_nothing(client, people, directory):
    from appraisal import services
    from appraisal.models import PaperTally
    from tests.appraisal.factories import make_meeting

    meeting = make_meeting(directory["v11"])
    services.tally_set(meeting=meeting, cadre=people["cadre"], kind="party", satisfied=6, basic=2,
                       unsatisfied=1, by=people["township_admin"])
    _login(client, people, "township_admin")
    response = client.post(f"/appraisal/meetings/{meeting.pk}/tally/", {})
    assert response.status_code == 400 and "缺少" in response.content.decode()
    tally = PaperTally.objects.get(meeting=meeting, cadre=people["cadre"], kind="party")
    assert (tally.satisfied, tally.basic, tally.unsatisfied) == (6, 2, 1)


@pytest.mark.parametrize("action", ["grade", "penalty"])
def test_a_grade_or_penalty_for_a_year_outside_the_bounds_is_not_found(client, people, action):
    from appraisal.models import Appraisal, PenaltyAction

    _login(client, people, "org_department")
    response = client.post(f"/appraisal/cadres/{people['cadre'].pk}/9999/{action}/",
                           {"final_grade": "competent", "note": "", "kind": "talk",
                            "held_on": "2026-03-10", "held_by": "组织部"})
    assert response.status_code == 404
    assert not Appraisal.objects.exclude(final_grade="").exists() and not PenaltyAction.objects.exists()


def test_the_picker_bounds_follow_the_calendar_in_a_long_running_process(monkeypatch):
    from residency.roster.forms import LeaveRequestForm

    later = timezone.localdate() + timedelta(days=10)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    html = str(LeaveRequestForm()["end"])
    assert f'max="{(later + timedelta(days=366)).isoformat()}"' in html
